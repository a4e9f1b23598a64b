package io.stageguard.rollback;

import io.stageguard.support.Sha256;
import io.stageguard.wordpress.WordPressTables;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A site's tables as an SQL file with one statement per line, so it streams both ways, replays
 * with the {@code mariadb} client too, and a restore never has to parse SQL.
 */
public final class DatabaseDump {
    private static final int ROWS_PER_INSERT = 200;

    private DatabaseDump() {}

    /**
     * One table's content: its rows and a SHA-256 over every row's values in primary key order,
     * whatever the table is named. The same content under another prefix has the same digest.
     */
    public record TableDigest(long rows, String sha256) {
        @Override
        public String toString() {
            return rows + " " + sha256;
        }
    }

    /**
     * A table as the backup recorded it: its content, and when its primary key is one integer
     * column, that column and its highest value (rows above it were written after the backup).
     */
    public record DumpedTable(TableDigest content, String keyColumn, String maxKey) {
        /** Backups taken before keys were recorded have rows and digest only: their rows are then matched by primary key. */
        private static final Pattern LINE = Pattern.compile("(\\d+) ([0-9a-f]{64})(?: (\\S+) (-|\\d+))?");

        public String line() {
            return content + " " + (keyColumn == null ? "-" : keyColumn) + " " + (maxKey == null ? "-" : maxKey);
        }

        /** What {@link #line()} wrote; a line that does not read back is a damaged backup. */
        public static DumpedTable parse(String line) throws IOException {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) throw new IOException("unreadable table record in the backup: " + line);
            String key = m.group(3) == null || m.group(3).equals("-") ? null : m.group(3);
            String max = key == null || m.group(4).equals("-") ? null : m.group(4);
            return new DumpedTable(new TableDigest(Long.parseLong(m.group(1)), m.group(2)), key, max);
        }

        /** Which rows existed at the backup: an SQL condition, or {@code null} (all) when rows have no integer key to compare. */
        public String rowsOfTheBackup() {
            if (keyColumn == null) return null;
            return maxKey == null ? "FALSE" : WordPressTables.quote(keyColumn) + " <= " + maxKey;
        }
    }

    /** Dumps the given tables (all with {@code prefix}); returns each one as dumped, keyed by its name without the prefix. */
    public static Map<String, DumpedTable> write(Connection c, String prefix, List<String> tables, Path file)
            throws SQLException, IOException {
        Map<String, DumpedTable> dumped = new TreeMap<>();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String table : tables) {
                String q = WordPressTables.quote(table);
                out.write("DROP TABLE IF EXISTS " + q + ";\n");
                out.write(WordPressTables.createStatement(c, table).replace('\n', ' ') + ";\n");
                String keyColumn = WordPressTables.primaryKey(c, table).integerColumn();
                StringBuilder insert = new StringBuilder();
                int[] inBatch = {0};
                int[] keyIndex = {-1};
                String[] lastKey = {null};
                RowDigest digest = new RowDigest();
                WordPressTables.stream(
                        c, table, null, columns -> keyIndex[0] = columns.names().indexOf(keyColumn), row -> {
                            insert.append(inBatch[0] == 0 ? "INSERT INTO " + q + " VALUES " : ",");
                            digest.add(insert, row);
                            // rows stream in key order: the last one holds the highest key
                            if (keyIndex[0] >= 0) lastKey[0] = (String) row[keyIndex[0]];
                            if (++inBatch[0] == ROWS_PER_INSERT) {
                                writeLine(out, insert.append(';'));
                                insert.setLength(0);
                                inBatch[0] = 0;
                            }
                        });
                if (inBatch[0] > 0) writeLine(out, insert.append(';'));
                dumped.put(
                        table.substring(prefix.length()),
                        new DumpedTable(digest.result(), keyIndex[0] >= 0 ? keyColumn : null, lastKey[0]));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return dumped;
    }

    /** The digest of the table's rows that match {@code where} (all when {@code null}), as {@link #write} computes it. */
    public static TableDigest digest(Connection c, String table, String where) throws SQLException {
        RowDigest digest = new RowDigest();
        StringBuilder scratch = new StringBuilder();
        WordPressTables.stream(c, table, where, columns -> {}, row -> {
            scratch.setLength(0);
            digest.add(scratch, row);
        });
        return digest.result();
    }

    /** Each table's CREATE TABLE statement as the dump holds it, by table name. */
    public static Map<String, String> createStatements(Path file) throws IOException {
        Map<String, String> creates = new TreeMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith(CREATE)) creates.put(tableOf(line, CREATE), line.substring(0, line.length() - 1));
            }
        }
        return creates;
    }

    /**
     * Replays a dump under another table prefix, for a rehearsal: every statement's table (the name
     * right after DROP TABLE IF EXISTS, CREATE TABLE or INSERT INTO) gets {@code to} for {@code from}.
     */
    public static void restoreAs(Connection c, Path file, String from, String to) throws SQLException, IOException {
        load(c, file, table -> table.startsWith(from) ? to + table.substring(from.length()) : null);
    }

    /**
     * Replays the statements of the tables {@code rename} maps (to the name they are loaded as; a
     * table it maps to {@code null} is skipped), in one pass over the dump. Each table is created
     * without its secondary keys, filled in one transaction with the inserts sent in batches, and
     * then gets its keys in one ALTER: several times faster than replaying the statements one by one,
     * as the {@code mariadb} client does.
     */
    public static void load(Connection c, Path file, Function<String, String> rename) throws SQLException, IOException {
        WordPressTables.prepareForLoad(c);
        boolean autoCommit = c.getAutoCommit();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                Statement st = c.createStatement()) {
            String loading = null;
            String deferredKeys = null;
            int batched = 0;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isBlank()) continue;
                String head = null;
                for (String candidate : new String[] {DROP, CREATE, INSERT}) {
                    if (line.startsWith(candidate)) head = candidate;
                }
                if (head == null)
                    throw new IOException(
                            "unexpected statement in the dump: " + line.substring(0, Math.min(80, line.length())));
                String table = tableOf(line, head);
                String as = rename.apply(table);
                if (as == null) continue;
                String statement = head
                        + WordPressTables.quote(as)
                        + line.substring(
                                head.length() + WordPressTables.quote(table).length());
                if (head.equals(INSERT)) {
                    st.addBatch(statement);
                    if (++batched == INSERTS_PER_BATCH) {
                        st.executeBatch();
                        batched = 0;
                    }
                    continue;
                }
                if (batched > 0) st.executeBatch();
                batched = 0;
                finishTable(c, st, loading, deferredKeys);
                loading = null;
                deferredKeys = null;
                if (head.equals(CREATE)) {
                    st.execute(statement);
                    // the table as MariaDB shows it, one clause per line, so its secondary keys can be set apart
                    WordPressTables.DeferredKeys keys =
                            WordPressTables.deferSecondaryKeys(WordPressTables.createStatement(c, as));
                    if (keys.addThem() != null) {
                        st.execute("DROP TABLE " + WordPressTables.quote(as));
                        st.execute(keys.createWithoutThem());
                    }
                    c.setAutoCommit(false);
                    loading = as;
                    deferredKeys = keys.addThem();
                } else {
                    st.execute(statement);
                }
            }
            if (batched > 0) st.executeBatch();
            finishTable(c, st, loading, deferredKeys);
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static final int INSERTS_PER_BATCH = 20;

    /** Commits a table's rows and adds the keys set apart while they went in. */
    private static void finishTable(Connection c, Statement st, String table, String deferredKeys) throws SQLException {
        if (table == null) return;
        c.commit();
        c.setAutoCommit(true);
        if (deferredKeys != null) st.execute("ALTER TABLE " + WordPressTables.quote(table) + " " + deferredKeys);
    }

    private static final String DROP = "DROP TABLE IF EXISTS ";
    private static final String CREATE = "CREATE TABLE ";
    private static final String INSERT = "INSERT INTO ";

    /** The table a dump line names right after its head, unquoted. */
    private static String tableOf(String line, String head) throws IOException {
        StringBuilder name = new StringBuilder();
        int i = head.length();
        if (i >= line.length() || line.charAt(i) != '`')
            throw new IOException(
                    "unexpected statement in the dump: " + line.substring(0, Math.min(80, line.length())));
        for (i++; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '`') {
                if (i + 1 < line.length() && line.charAt(i + 1) == '`') {
                    name.append('`');
                    i++;
                } else {
                    return name.toString();
                }
            } else {
                name.append(ch);
            }
        }
        throw new IOException("unterminated table name in the dump");
    }

    /** Rows' SQL literals appended to a statement and fed, one line each, into a SHA-256. */
    private static final class RowDigest {
        private final MessageDigest sha = Sha256.newDigest();
        private long rows;

        void add(StringBuilder sql, Object[] row) {
            int start = sql.length();
            sql.append('(');
            for (int i = 0; i < row.length; i++) {
                if (i > 0) sql.append(',');
                literal(sql, row[i]);
            }
            sql.append(')');
            sha.update(sql.substring(start).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            rows++;
        }

        TableDigest result() {
            return new TableDigest(rows, HexFormat.of().formatHex(sha.digest()));
        }
    }

    private static void writeLine(BufferedWriter out, CharSequence line) {
        try {
            out.append(line).append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void literal(StringBuilder sql, Object value) {
        if (value == null) {
            sql.append("NULL");
        } else if (value instanceof byte[] bytes) {
            sql.append(bytes.length == 0 ? "''" : "X'" + HexFormat.of().formatHex(bytes) + "'");
        } else {
            String s = (String) value;
            sql.append('\'');
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                switch (ch) {
                    case '\\' -> sql.append("\\\\");
                    case '\'' -> sql.append("\\'");
                    case '\n' -> sql.append("\\n");
                    case '\r' -> sql.append("\\r");
                    case '\0' -> sql.append("\\0");
                    case '\u001a' -> sql.append("\\Z");
                    default -> sql.append(ch);
                }
            }
            sql.append('\'');
        }
    }
}
