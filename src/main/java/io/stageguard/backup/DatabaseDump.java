package io.stageguard.backup;

import io.stageguard.site.Sha256;
import io.stageguard.site.WordPressTables;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A site's tables as an SQL file with one statement per line, so it streams both ways, replays
 * with the {@code mariadb} client too, and a restore never has to parse SQL.
 */
public final class DatabaseDump {
    private static final int ROWS_PER_INSERT = 200;

    private DatabaseDump() {
    }

    /**
     * One table's content as dumped: its rows and a SHA-256 over every row's values in dump order,
     * whatever the table is named. The same content under another prefix has the same digest.
     */
    public record TableDigest(long rows, String sha256) {
        @Override
        public String toString() {
            return rows + " " + sha256;
        }
    }

    /** Dumps the given tables (all with {@code prefix}); returns each one's digest, keyed by its name without the prefix. */
    public static Map<String, TableDigest> write(Connection c, String prefix, List<String> tables, Path file) throws SQLException, IOException {
        Map<String, TableDigest> digests = new TreeMap<>();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String table : tables) {
                String q = WordPressTables.quote(table);
                out.write("DROP TABLE IF EXISTS " + q + ";\n");
                out.write(WordPressTables.createStatement(c, table).replace('\n', ' ') + ";\n");
                StringBuilder insert = new StringBuilder();
                int[] inBatch = {0};
                long[] rows = {0};
                MessageDigest digest = Sha256.newDigest();
                WordPressTables.stream(c, table, columns -> { }, row -> {
                    insert.append(inBatch[0] == 0 ? "INSERT INTO " + q + " VALUES " : ",");
                    int start = insert.length();
                    insert.append('(');
                    for (int i = 0; i < row.length; i++) {
                        if (i > 0) insert.append(',');
                        literal(insert, row[i]);
                    }
                    insert.append(')');
                    digest.update(insert.substring(start).getBytes(StandardCharsets.UTF_8));
                    digest.update((byte) '\n');
                    rows[0]++;
                    if (++inBatch[0] == ROWS_PER_INSERT) {
                        writeLine(out, insert.append(';'));
                        insert.setLength(0);
                        inBatch[0] = 0;
                    }
                });
                if (inBatch[0] > 0) writeLine(out, insert.append(';'));
                digests.put(table.substring(prefix.length()), new TableDigest(rows[0], HexFormat.of().formatHex(digest.digest())));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return digests;
    }

    /**
     * Replays a dump under another table prefix, for a rehearsal: every statement's table (the name
     * right after DROP TABLE IF EXISTS, CREATE TABLE or INSERT INTO) gets {@code to} for {@code from}.
     */
    public static void restoreAs(Connection c, Path file, String from, String to) throws SQLException, IOException {
        WordPressTables.prepareForLoad(c);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8); Statement st = c.createStatement()) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isBlank()) continue;
                String renamed = null;
                for (String head : new String[] {"DROP TABLE IF EXISTS `", "CREATE TABLE `", "INSERT INTO `"}) {
                    if (line.startsWith(head + from)) renamed = head + to + line.substring(head.length() + from.length());
                }
                if (renamed == null) throw new IOException("unexpected statement in the dump: " + line.substring(0, Math.min(80, line.length())));
                st.execute(renamed);
            }
        }
    }

    /**
     * Replays a dump; the site's tables ({@code siteTables}, as they are now) that the dump does not
     * hold are dropped, so the result equals the dump.
     */
    public static void restore(Connection c, List<String> siteTables, Path file) throws SQLException, IOException {
        WordPressTables.prepareForLoad(c);
        Set<String> restored = new HashSet<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8); Statement st = c.createStatement()) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isBlank()) continue;
                if (line.startsWith("DROP TABLE IF EXISTS `")) {
                    restored.add(line.substring("DROP TABLE IF EXISTS `".length(), line.lastIndexOf('`')).replace("``", "`"));
                }
                st.execute(line);
            }
            for (String table : siteTables) {
                if (!restored.contains(table)) st.execute("DROP TABLE " + WordPressTables.quote(table));
            }
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
