package io.stageguard.rollback;

import io.stageguard.wordpress.WordPressTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A table's rows as one short hash each, by primary key, computed by the database server: enough
 * to tell which rows changed between two moments (the backup, the end of the deploy, the rollback)
 * without keeping or sending the rows themselves.
 */
final class RowHashes {
    /** Keys per statement when rows are picked by key. */
    private static final int KEYS_PER_STATEMENT = 500;

    private RowHashes() {}

    /** How a table's rows are told apart: its primary key, as one integer or as a text of its values. */
    record Identity(List<String> columns, boolean integer) {
        /** The key of a row aliased {@code l}, as text: the integer itself, or the quoted values joined. */
        String keyOf(String alias) {
            if (integer) return "CAST(" + alias + "." + WordPressTables.quote(columns.get(0)) + " AS CHAR)";
            return "CONCAT_WS(',',"
                    + columns.stream()
                            .map(c -> "QUOTE(" + alias + "." + WordPressTables.quote(c) + ")")
                            .collect(Collectors.joining(","))
                    + ")";
        }

        /** A condition on rows aliased {@code l} for {@code count} keys given as parameters. */
        String amongKeys(String alias, int count) {
            String placeholders = String.join(",", java.util.Collections.nCopies(count, "?"));
            return (integer ? alias + "." + WordPressTables.quote(columns.get(0)) : keyOf(alias)) + " IN ("
                    + placeholders + ")";
        }
    }

    /** The table's primary key as an identity, or {@code null} when it has none (its rows then cannot be told apart). */
    static Identity identity(Connection c, String table) throws SQLException {
        WordPressTables.PrimaryKey key = WordPressTables.primaryKey(c, table);
        return key.columns().isEmpty() ? null : new Identity(key.columns(), key.singleInteger());
    }

    /**
     * Every row matching {@code where} (all when {@code null}) as key to hash. Each column is hashed
     * on its own first, so a value longer than the server's packet limit still hashes (a concatenation
     * that long would be NULL). MD5 tells changes apart here; nothing relies on it resisting forgery.
     */
    static Map<String, String> of(Connection c, String table, Identity id, String where) throws SQLException {
        Map<String, String> hashes = new HashMap<>();
        String rowHash = "MD5(CONCAT_WS(',',"
                + WordPressTables.columnNames(c, table).stream()
                        .map(col -> "IFNULL(MD5(l." + WordPressTables.quote(col) + "),'-')")
                        .collect(Collectors.joining(","))
                + "))";
        try (Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            st.setFetchSize(1000);
            try (ResultSet rs = st.executeQuery("SELECT " + id.keyOf("l") + ", " + rowHash + " FROM "
                    + WordPressTables.quote(table) + " l" + (where == null ? "" : " WHERE " + where))) {
                while (rs.next()) hashes.put(rs.getString(1), rs.getString(2));
            }
        }
        return hashes;
    }

    /** The server's checksum of the whole table (every row, every column), or {@code null} when the table is gone. */
    static String checksum(Connection c, String table) throws SQLException {
        if (!WordPressTables.exists(c, table)) return null;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("CHECKSUM TABLE " + WordPressTables.quote(table))) {
            rs.next();
            return rs.getString(2);
        }
    }

    /** The columns whose values differ between the row with {@code key} in {@code a} and in {@code b} (columns both tables have). */
    static List<String> differingColumns(Connection c, String a, String b, Identity id, String key)
            throws SQLException {
        Map<String, Object> left = row(c, a, id, key);
        Map<String, Object> right = row(c, b, id, key);
        if (left == null || right == null) return List.of();
        List<String> differ = new ArrayList<>();
        for (var column : left.entrySet()) {
            if (right.containsKey(column.getKey()) && !equal(column.getValue(), right.get(column.getKey())))
                differ.add(column.getKey());
        }
        return differ;
    }

    /** Runs {@code sql} (a statement ending in a condition {@link Identity#amongKeys} completes) for the keys, a batch at a time. */
    static void forKeys(Connection c, String sql, Identity id, String alias, List<String> keys) throws SQLException {
        for (int from = 0; from < keys.size(); from += KEYS_PER_STATEMENT) {
            List<String> batch = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_STATEMENT));
            try (PreparedStatement ps = c.prepareStatement(sql + id.amongKeys(alias, batch.size()))) {
                for (int i = 0; i < batch.size(); i++) ps.setString(i + 1, batch.get(i));
                ps.executeUpdate();
            }
        }
    }

    private static Map<String, Object> row(Connection c, String table, Identity id, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM " + WordPressTables.quote(table) + " l WHERE " + id.amongKeys("l", 1))) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                Map<String, Object> row = new HashMap<>();
                java.sql.ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    int type = md.getColumnType(i);
                    boolean binary = type == java.sql.Types.BINARY
                            || type == java.sql.Types.VARBINARY
                            || type == java.sql.Types.LONGVARBINARY
                            || type == java.sql.Types.BLOB;
                    row.put(md.getColumnName(i), binary ? rs.getBytes(i) : rs.getString(i));
                }
                return row;
            }
        }
    }

    private static boolean equal(Object a, Object b) {
        return a instanceof byte[] x && b instanceof byte[] y ? java.util.Arrays.equals(x, y) : Objects.equals(a, b);
    }
}
