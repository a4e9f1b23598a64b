package io.stageguard.backup;

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
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A site's tables as an SQL file with one statement per line, so it streams both ways, replays
 * with the {@code mariadb} client too, and a restore never has to parse SQL.
 */
public final class DatabaseDump {
    private static final int ROWS_PER_INSERT = 200;

    private DatabaseDump() {
    }

    public static int write(Connection c, String prefix, Path file) throws SQLException, IOException {
        List<String> tables = WordPressTables.list(c, prefix);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String table : tables) {
                String q = WordPressTables.quote(table);
                out.write("DROP TABLE IF EXISTS " + q + ";\n");
                out.write(WordPressTables.createStatement(c, table).replace('\n', ' ') + ";\n");
                StringBuilder insert = new StringBuilder();
                int[] inBatch = {0};
                WordPressTables.stream(c, table, columns -> { }, row -> {
                    insert.append(inBatch[0] == 0 ? "INSERT INTO " + q + " VALUES " : ",");
                    insert.append('(');
                    for (int i = 0; i < row.length; i++) {
                        if (i > 0) insert.append(',');
                        literal(insert, row[i]);
                    }
                    insert.append(')');
                    if (++inBatch[0] == ROWS_PER_INSERT) {
                        writeLine(out, insert.append(';'));
                        insert.setLength(0);
                        inBatch[0] = 0;
                    }
                });
                if (inBatch[0] > 0) writeLine(out, insert.append(';'));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return tables.size();
    }

    /** Replays a dump; tables with the site's prefix that the dump does not hold are dropped, so the result equals the dump. */
    public static void restore(Connection c, String prefix, Path file) throws SQLException, IOException {
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
            for (String table : WordPressTables.list(c, prefix)) {
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
