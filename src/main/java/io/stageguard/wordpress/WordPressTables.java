package io.stageguard.wordpress;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a WordPress database table by table, streaming rows so that a large site never sits in
 * memory. Every value is read as its exact text (zero dates such as {@code 0000-00-00 00:00:00}
 * included) or, for binary columns, as bytes.
 */
public final class WordPressTables {
    private WordPressTables() {}

    /** Columns of a streamed table: names, and which hold bytes rather than text. */
    public record Columns(List<String> names, boolean[] binary) {}

    @FunctionalInterface
    public interface RowSink {
        void accept(Object[] row) throws SQLException;
    }

    /** Tables that belong to the site: those whose name starts with its table prefix. */
    public static List<String> list(Connection c, String prefix) throws SQLException {
        List<String> tables = new ArrayList<>();
        String like = prefix.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + "%";
        try (var ps = c.prepareStatement(
                "SHOW FULL TABLES WHERE Table_type = 'BASE TABLE' AND Tables_in_" + c.getCatalog() + " LIKE ?")) {
            ps.setString(1, like);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    /** An option's value from a WordPress options table (its full name), or null when the option is not there. */
    public static String option(Connection c, String optionsTable, String name) throws SQLException {
        try (var ps =
                c.prepareStatement("SELECT option_value FROM " + quote(optionsTable) + " WHERE option_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    public static boolean exists(Connection c, String table) throws SQLException {
        try (var ps = c.prepareStatement(
                "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public static String createStatement(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW CREATE TABLE " + quote(table))) {
            rs.next();
            return rs.getString(2);
        }
    }

    /**
     * A table's primary key. When it is one integer column, rows written after a moment are the
     * rows whose key is above the maximum of that moment (WordPress's tables, and most plugins').
     */
    public record PrimaryKey(List<String> columns, boolean singleInteger) {
        public String orderBy() {
            return columns.isEmpty()
                    ? ""
                    : " ORDER BY "
                            + String.join(
                                    ", ",
                                    columns.stream().map(WordPressTables::quote).toList());
        }

        /** The integer key column, or {@code null} when the key is not one integer column. */
        public String integerColumn() {
            return singleInteger ? columns.get(0) : null;
        }
    }

    public static PrimaryKey primaryKey(Connection c, String table) throws SQLException {
        // SHOW answers from the table's definition; information_schema joins would build temporary tables on disk
        List<String> columns = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW KEYS FROM " + quote(table) + " WHERE Key_name = 'PRIMARY'")) {
            while (rs.next()) columns.add(rs.getString("Column_name"));
        }
        boolean integer = false;
        if (columns.size() == 1) {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SHOW COLUMNS FROM " + quote(table))) {
                while (rs.next()) {
                    if (rs.getString("Field").equals(columns.get(0)))
                        integer = rs.getString("Type").matches("(?i)(tiny|small|medium|big)?int\\b.*");
                }
            }
        }
        return new PrimaryKey(List.copyOf(columns), integer);
    }

    /** The table's column names in their order. */
    public static List<String> columnNames(Connection c, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW COLUMNS FROM " + quote(table))) {
            while (rs.next()) names.add(rs.getString("Field"));
        }
        return names;
    }

    /** Streams every row of a table into the sink; returns the column layout seen. */
    public static Columns stream(
            Connection c, String table, java.util.function.Consumer<Columns> onColumns, RowSink sink)
            throws SQLException {
        return stream(c, table, null, onColumns, sink);
    }

    /**
     * Streams the rows that match {@code where} (all when {@code null}) in primary key order, so that
     * the same rows always stream the same way; returns the column layout seen.
     */
    public static Columns stream(
            Connection c, String table, String where, java.util.function.Consumer<Columns> onColumns, RowSink sink)
            throws SQLException {
        String order = primaryKey(c, table).orderBy();
        try (Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            st.setFetchSize(1000);
            try (ResultSet rs = st.executeQuery(
                    "SELECT * FROM " + quote(table) + (where == null ? "" : " WHERE " + where) + order)) {
                ResultSetMetaData md = rs.getMetaData();
                int n = md.getColumnCount();
                List<String> names = new ArrayList<>(n);
                boolean[] binary = new boolean[n];
                for (int i = 0; i < n; i++) {
                    names.add(md.getColumnName(i + 1));
                    int type = md.getColumnType(i + 1);
                    binary[i] = type == Types.BINARY
                            || type == Types.VARBINARY
                            || type == Types.LONGVARBINARY
                            || type == Types.BLOB;
                }
                Columns columns = new Columns(names, binary);
                onColumns.accept(columns);
                while (rs.next()) {
                    Object[] row = new Object[n];
                    for (int i = 0; i < n; i++) {
                        row[i] = binary[i] ? rs.getBytes(i + 1) : rs.getString(i + 1);
                    }
                    sink.accept(row);
                }
                return columns;
            }
        }
    }

    /**
     * Session settings for writing rows back exactly as read, the same ones mysqldump uses: zero
     * dates and explicit zero ids are kept, and load order between tables does not matter.
     */
    public static void prepareForLoad(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'");
            st.execute("SET SESSION foreign_key_checks = 0");
            st.execute("SET SESSION unique_checks = 0");
        }
    }

    /**
     * A CREATE TABLE statement split into the table with its primary and unique keys, and the
     * secondary keys to add once the rows are in ({@code null} when there are none).
     */
    public record DeferredKeys(String createWithoutThem, String addThem) {}

    public static DeferredKeys deferSecondaryKeys(String create) {
        List<String> kept = new ArrayList<>();
        List<String> deferred = new ArrayList<>();
        for (String line : create.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("KEY ")
                    || trimmed.startsWith("FULLTEXT KEY ")
                    || trimmed.startsWith("SPATIAL KEY ")) {
                deferred.add("ADD " + trimmed.replaceAll(",$", ""));
            } else {
                kept.add(line);
            }
        }
        if (deferred.isEmpty()) return new DeferredKeys(create, null);
        // the last column or key line before ")" must not end with a comma any more
        for (int i = kept.size() - 1; i >= 0; i--) {
            if (kept.get(i).trim().startsWith(")")) {
                kept.set(i - 1, kept.get(i - 1).replaceAll(",$", ""));
                break;
            }
        }
        return new DeferredKeys(String.join("\n", kept), String.join(", ", deferred));
    }

    public static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
