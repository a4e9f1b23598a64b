package io.stageguard.backup;

import io.stageguard.site.Sha256;
import io.stageguard.site.WordPressTables;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Phase 6's database part: puts back what the deploy changed and keeps what live wrote since the
 * backup (comments, sign-ups, orders, form entries), deciding from the data.
 *
 * <ul>
 *   <li>A table whose schema and backed-up rows are as they were is left alone: only the rows the
 *       deploy itself wrote in it (keys between the marks taken around the deploy) are removed.</li>
 *   <li>A table the release migrated (its schema differs) or whose backed-up rows changed is
 *       loaded from the dump beside the live one; the rows written since the backup (keys above
 *       the backup's maximum, or for other keys, rows the backup does not hold) are copied into it
 *       where their columns still fit, and it replaces the live table in one atomic rename.</li>
 *   <li>A table the backup holds and live lost is put back; a table created since the backup is
 *       dropped when empty and otherwise kept and reported.</li>
 * </ul>
 * Every row that could not be kept is reported with its key, and the table that held it is kept
 * beside the restored one: nothing is lost, and nothing silently.
 */
public final class DatabaseRollback {
    /** MariaDB's longest table name. */
    private static final int MAX_NAME = 64;

    private DatabaseRollback() {
    }

    /** The keys of a table's rows around the deploy: rows with keys above {@code beforeDeploy} up to {@code afterDeploy} are the deploy's. */
    public record DeployMark(String beforeDeploy, String afterDeploy) {
        String deployWrote(String keyColumn) {
            if (afterDeploy == null) return null;
            String key = WordPressTables.quote(keyColumn);
            return key + " > " + (beforeDeploy == null ? "-1" : beforeDeploy) + " AND " + key + " <= " + afterDeploy;
        }
    }

    /**
     * What the rollback did to the database.
     *
     * @param restored  tables put back from the backup, with why
     * @param kept      per table, the rows written on live since the backup that are still there
     * @param removed   rows the deploy wrote (upgrade routines' options, seed rows), by table and key
     * @param notKept   rows written since the backup that did not fit the restored table, by table and key, with why
     * @param setAside  per table with such rows, the name under which the table as it was before the rollback is kept
     * @param untouched tables left as they were
     */
    public record Report(Map<String, String> restored, Map<String, Long> kept, List<String> removed, List<String> notKept,
                         Map<String, String> setAside, List<String> untouched) {
        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            restored.forEach((table, why) -> lines.add("restored table " + table + " (" + why + ")"));
            if (!untouched.isEmpty()) lines.add("left " + untouched.size() + " unchanged table(s) as they were");
            kept.forEach((table, rows) -> lines.add("kept " + rows + " row(s) written on live since the backup in " + table));
            removed.forEach(r -> lines.add("removed " + r));
            notKept.forEach(r -> lines.add("could NOT keep " + r));
            setAside.forEach((table, aside) -> lines.add(table + " as it was before the rollback, with those rows, is kept as " + aside));
            return lines;
        }
    }

    /**
     * @param prefix    the site's table prefix
     * @param backedUp  the tables the backup holds, by name without the prefix
     * @param siteNow   the site's tables as they are now, full names
     * @param marks     the marks around the deploy, by name without the prefix (empty when the deploy never began)
     */
    public static Report rollback(Connection c, Path dump, String prefix, Map<String, DatabaseDump.DumpedTable> backedUp, List<String> siteNow,
                                  Map<String, DeployMark> marks) throws SQLException, IOException {
        WordPressTables.prepareForLoad(c);
        Map<String, String> restored = new TreeMap<>();
        Map<String, Long> kept = new TreeMap<>();
        List<String> removed = new ArrayList<>();
        List<String> notKept = new ArrayList<>();
        List<String> untouched = new ArrayList<>();
        Map<String, String> setAside = new TreeMap<>();
        Set<String> now = new HashSet<>(siteNow);
        Map<String, String> creates = DatabaseDump.createStatements(dump);
        Map<String, String> toLoad = new LinkedHashMap<>();
        for (var entry : backedUp.entrySet()) {
            String table = prefix + entry.getKey();
            DatabaseDump.DumpedTable then = entry.getValue();
            if (!now.contains(table)) {
                toLoad.put(table, "gone from live since the backup");
            } else if (!schema(WordPressTables.createStatement(c, table)).equals(schema(creates.get(table)))) {
                toLoad.put(table, "its schema was changed by the release");
            } else if (!DatabaseDump.digest(c, table, then.rowsOfTheBackup()).equals(then.content())) {
                toLoad.put(table, "rows it held at the backup were changed");
            } else {
                untouched.add(table);
                DeployMark mark = marks.get(entry.getKey());
                String deployWrote = then.keyColumn() == null || mark == null ? null : mark.deployWrote(then.keyColumn());
                if (deployWrote != null) {
                    List<String> keys = keys(c, table, then.keyColumn(), deployWrote);
                    if (!keys.isEmpty()) {
                        execute(c, "DELETE FROM " + WordPressTables.quote(table) + " WHERE " + deployWrote);
                        removed.add(keys.size() + " row(s) the deploy wrote in " + table + " (" + then.keyColumn() + " " + keys + ")");
                    }
                }
                if (then.keyColumn() != null) {
                    long since = count(c, table, then.maxKey() == null ? null : WordPressTables.quote(then.keyColumn()) + " > " + then.maxKey());
                    if (since > 0) kept.put(table, since);
                }
            }
        }
        Map<String, String> loadAs = new TreeMap<>();
        for (String table : toLoad.keySet()) {
            String side = sideName("sgrb_", table);
            execute(c, "DROP TABLE IF EXISTS " + WordPressTables.quote(side));
            loadAs.put(table, side);
        }
        DatabaseDump.load(c, dump, loadAs::get);
        for (var entry : toLoad.entrySet()) {
            String table = entry.getKey();
            String side = loadAs.get(table);
            if (!now.contains(table)) {
                execute(c, "RENAME TABLE " + WordPressTables.quote(side) + " TO " + WordPressTables.quote(table));
            } else {
                DatabaseDump.DumpedTable then = backedUp.get(table.substring(prefix.length()));
                DeployMark mark = marks.get(table.substring(prefix.length()));
                Kept k = swapInKeepingNewRows(c, table, side, then, mark);
                if (k.rows() > 0) kept.put(table, k.rows());
                removed.addAll(k.removed());
                notKept.addAll(k.notKept());
                if (k.setAside() != null) setAside.put(table, k.setAside());
            }
            restored.put(table, entry.getValue());
        }
        for (String table : siteNow) {
            if (backedUp.containsKey(table.substring(prefix.length()))) continue;
            long rows = count(c, table, null);
            if (rows == 0) {
                execute(c, "DROP TABLE " + WordPressTables.quote(table));
                removed.add("table " + table + " (created since the backup, empty)");
            } else {
                // a table created since the backup that already holds rows may hold what visitors wrote: kept for a person to decide
                kept.put(table, rows);
            }
        }
        return new Report(restored, kept, removed, notKept, setAside, untouched);
    }

    private record Kept(long rows, List<String> removed, List<String> notKept, String setAside) {
    }

    /**
     * The backed-up table, loaded as {@code side}, gets the rows written on live since the backup
     * and replaces the live table in one rename; rows written in between are copied after it.
     */
    private static Kept swapInKeepingNewRows(Connection c, String table, String side, DatabaseDump.DumpedTable then, DeployMark mark)
            throws SQLException {
        List<String> sideColumns = WordPressTables.columnNames(c, side);
        Set<String> liveColumns = new HashSet<>(WordPressTables.columnNames(c, table));
        List<String> common = sideColumns.stream().filter(liveColumns::contains).toList();
        String key = then.keyColumn() != null && liveColumns.contains(then.keyColumn()) ? then.keyColumn() : null;
        String writtenSince;
        if (key != null) {
            writtenSince = then.maxKey() == null ? "TRUE" : WordPressTables.quote(key) + " > " + then.maxKey();
        } else {
            // no integer key: a row is new when the backup holds no row with the same key (or, without one, the same values)
            List<String> match = WordPressTables.primaryKey(c, side).columns().stream().filter(liveColumns::contains).toList();
            if (match.isEmpty()) match = common;
            writtenSince = "NOT EXISTS (SELECT 1 FROM " + WordPressTables.quote(side) + " b WHERE "
                    + match.stream().map(col -> "b." + WordPressTables.quote(col) + " <=> l." + WordPressTables.quote(col)).collect(Collectors.joining(" AND "))
                    + ")";
        }
        List<String> removed = new ArrayList<>();
        String deployWrote = key == null || mark == null ? null : mark.deployWrote(key);
        if (deployWrote != null) {
            List<String> keys = keys(c, table, key, deployWrote);
            if (!keys.isEmpty()) removed.add(keys.size() + " row(s) the deploy wrote in " + table + " (" + key + " " + keys + ")");
            writtenSince = "(" + writtenSince + ") AND NOT (" + deployWrote + ")";
        }
        List<String> notKept = new ArrayList<>();
        String upTo = key == null ? null : single(c, "SELECT MAX(" + WordPressTables.quote(key) + ") FROM " + WordPressTables.quote(table));
        long rows = copyRows(c, table, side, common, key, upTo == null ? writtenSince
                : "(" + writtenSince + ") AND " + WordPressTables.quote(key) + " <= " + upTo, notKept);
        String old = sideName("sgrbold_", table);
        execute(c, "DROP TABLE IF EXISTS " + WordPressTables.quote(old));
        execute(c, "RENAME TABLE " + WordPressTables.quote(table) + " TO " + WordPressTables.quote(old) + ", " + WordPressTables.quote(side)
                + " TO " + WordPressTables.quote(table));
        if (key != null) {
            // rows a visitor wrote while the copy ran landed in the table that was live until the rename
            rows += copyRows(c, old, table, common, key, upTo == null ? "TRUE" : WordPressTables.quote(key) + " > " + upTo, notKept);
        }
        if (notKept.isEmpty()) {
            execute(c, "DROP TABLE " + WordPressTables.quote(old));
        }
        return new Kept(rows, removed, notKept, notKept.isEmpty() ? null : old);
    }

    /**
     * Copies the rows of {@code from} matching {@code where} (aliased {@code l}) into {@code to}, in
     * strict mode so that a value that does not fit fails instead of being cut; when the whole copy
     * fails, row by row, reporting each row that does not fit with its key. A copied row that has the
     * same unique key as a backed-up one (an option or transient deleted and added again since the
     * backup) is the newer version of that record and replaces it.
     */
    private static long copyRows(Connection c, String from, String to, List<String> columns, String key, String where, List<String> notKept)
            throws SQLException {
        String cols = columns.stream().map(WordPressTables::quote).collect(Collectors.joining(", "));
        String select = "SELECT " + columns.stream().map(col -> "l." + WordPressTables.quote(col)).collect(Collectors.joining(", "))
                + " FROM " + WordPressTables.quote(from) + " l WHERE ";
        String insert = "REPLACE INTO " + WordPressTables.quote(to) + " (" + cols + ") ";
        try (Statement st = c.createStatement()) {
            st.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,STRICT_ALL_TABLES'");
            try {
                long rows = Long.parseLong(single(c, "SELECT COUNT(*) FROM " + WordPressTables.quote(from) + " l WHERE " + where));
                st.executeLargeUpdate(insert + select + where);
                return rows;
            } catch (SQLException whole) {
                if (key == null) {
                    notKept.add(single(c, "SELECT COUNT(*) FROM " + WordPressTables.quote(from) + " l WHERE " + where) + " row(s) of " + from
                            + " (it has no integer key to name them by): " + whole.getMessage());
                    return 0;
                }
                long copied = 0;
                for (String k : keys(c, from, key, where)) {
                    try {
                        st.executeLargeUpdate(insert + select + "l." + WordPressTables.quote(key) + " = " + k);
                        copied++;
                    } catch (SQLException row) {
                        notKept.add("row " + key + "=" + k + " of " + from + ": " + row.getMessage());
                    }
                }
                return copied;
            } finally {
                st.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'");
            }
        }
    }

    /** A name for a table beside {@code table}, unique to it and within MariaDB's length limit. */
    private static String sideName(String head, String table) {
        String name = head + table;
        return name.length() <= MAX_NAME ? name : head + Sha256.of(table).substring(0, 16) + "_" + table.substring(table.length() - (MAX_NAME - head.length() - 17));
    }

    /** A CREATE TABLE statement as a schema: one line, without the table's name or its next auto-increment value. */
    private static String schema(String create) {
        if (create == null) return "";
        String oneLine = create.replace('\n', ' ').replaceAll(" AUTO_INCREMENT=\\d+", "");
        return oneLine.substring(oneLine.indexOf(" ("));
    }

    private static List<String> keys(Connection c, String table, String key, String where) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT " + WordPressTables.quote(key) + " FROM "
                + WordPressTables.quote(table) + " l WHERE " + where + " ORDER BY 1")) {
            while (rs.next()) keys.add(rs.getString(1));
        }
        return keys;
    }

    private static long count(Connection c, String table, String where) throws SQLException {
        return Long.parseLong(single(c, "SELECT COUNT(*) FROM " + WordPressTables.quote(table) + (where == null ? "" : " WHERE " + where)));
    }

    private static String single(Connection c, String query) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
