package io.stageguard.rollback;

import io.stageguard.support.Sha256;
import io.stageguard.wordpress.WordPressTables;
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
 *       loaded from the dump beside the live one. Each row the backup holds that live changed
 *       since is decided by three versions of it: as backed up, as the deploy left it, as it is
 *       now. A row the deploy did not touch keeps live's version (an order's status, stock, an
 *       edited post or option); a row the deploy changed and nobody since goes back to the backup's;
 *       a row both changed goes back too and is reported. The rows written since the backup (keys
 *       above the backup's maximum, or for other keys, rows the backup does not hold) are copied
 *       in where their columns still fit, and the table replaces the live one in one atomic rename.</li>
 *   <li>A table the backup holds and live lost is put back; a table created since the backup is
 *       dropped when empty and otherwise kept and reported.</li>
 * </ul>
 * Every replaced table is kept as it was before the rollback, under its own name, until the
 * backup's retention ends; every row whose live version was not kept is reported with its table,
 * key and changed columns: nothing is lost, and nothing silently.
 */
public final class DatabaseRollback {
    /** MariaDB's longest table name. */
    private static final int MAX_NAME = 64;

    private DatabaseRollback() {}

    /** Reports list this many rows of a kind per table by key, then count the rest. */
    private static final int LISTED_ROWS = 20;

    /**
     * A table around the deploy: rows with keys above {@code beforeDeploy} up to {@code afterDeploy}
     * were written by the deploy; {@code rows} tells what it did to the rows the backup holds.
     */
    public record DeployMark(String beforeDeploy, String afterDeploy, DeployedRows rows) {
        public DeployMark {
            if (rows == null) rows = DeployedRows.UNKNOWN;
        }

        String deployWrote(String keyColumn) {
            if (afterDeploy == null) return null;
            String key = WordPressTables.quote(keyColumn);
            return key + " > " + (beforeDeploy == null ? "-1" : beforeDeploy) + " AND " + key + " <= " + afterDeploy;
        }
    }

    /**
     * What the deploy did to the rows the backup holds: nothing ({@code UNTOUCHED}: the table's
     * checksum was the same before and after it), these rows as it left them ({@code RECORDED}, key
     * to hash), or not known (a deploy recorded before Stageguard kept this, or a crash before its end).
     */
    public record DeployedRows(Kind kind, Map<String, String> after) {
        public enum Kind {
            UNTOUCHED,
            RECORDED,
            UNKNOWN
        }

        public static final DeployedRows UNTOUCHED = new DeployedRows(Kind.UNTOUCHED, Map.of());
        public static final DeployedRows UNKNOWN = new DeployedRows(Kind.UNKNOWN, Map.of());

        public static DeployedRows recorded(Map<String, String> after) {
            return new DeployedRows(Kind.RECORDED, Map.copyOf(after));
        }

        /**
         * Right after the deploy's last write: what it did to the rows of {@code table} that the
         * backup holds, compared by checksum with the table before its first write.
         */
        public static DeployedRows observe(
                Connection c, String table, String checksumBefore, DatabaseDump.DumpedTable then) throws SQLException {
            String checksumAfter = RowHashes.checksum(c, table);
            if (checksumAfter != null && checksumAfter.equals(checksumBefore)) return UNTOUCHED;
            if (checksumAfter == null) return recorded(Map.of());
            RowHashes.Identity id = RowHashes.identity(c, table);
            return id == null ? UNKNOWN : recorded(RowHashes.of(c, table, id, then.rowsOfTheBackup()));
        }

        /** Whether the deploy changed (or may have changed) the row it found as {@code backedUp}. */
        boolean touched(String key, String backedUp) {
            return kind == Kind.UNKNOWN || kind == Kind.RECORDED && !java.util.Objects.equals(after.get(key), backedUp);
        }

        /** Whether the row is still as the deploy left it. */
        boolean asDeployed(String key, String now) {
            return kind == Kind.RECORDED && java.util.Objects.equals(after.get(key), now);
        }
    }

    /**
     * What the rollback did to the database.
     *
     * @param restored    tables put back from the backup, with why
     * @param kept        per table, the rows written on live since the backup that are still there
     * @param keptEdits   rows the backup holds that live changed since and the deploy did not touch: live's version kept, by table, key and columns
     * @param putBack     rows the deploy changed, back as backed up, by table, key and columns
     * @param removed     rows the deploy wrote (upgrade routines' options, seed rows), by table and key
     * @param notKept     rows whose live version is not in the restored table (it did not fit, or the deploy changed the row too), by table and key, with why
     * @param preRollback every replaced table, by the name under which it is kept as it was before the rollback
     * @param untouched   tables left as they were
     */
    public record Report(
            Map<String, String> restored,
            Map<String, Long> kept,
            List<String> keptEdits,
            List<String> putBack,
            List<String> removed,
            List<String> notKept,
            Map<String, String> preRollback,
            List<String> untouched) {
        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            restored.forEach((table, why) -> lines.add("restored table " + table + " (" + why + ")"));
            if (!untouched.isEmpty()) lines.add("left " + untouched.size() + " unchanged table(s) as they were");
            kept.forEach((table, rows) ->
                    lines.add("kept " + rows + " row(s) written on live since the backup in " + table));
            keptEdits.forEach(r -> lines.add("kept live's " + r));
            putBack.forEach(r -> lines.add("put back " + r));
            removed.forEach(r -> lines.add("removed " + r));
            notKept.forEach(r -> lines.add("could NOT keep " + r));
            preRollback.forEach((table, copy) -> lines.add(table + " as it was before the rollback is kept as " + copy
                    + " until the backup's retention ends"));
            return lines;
        }
    }

    /**
     * @param prefix    the site's table prefix
     * @param backedUp  the tables the backup holds, by name without the prefix
     * @param siteNow   the site's tables as they are now, full names
     * @param marks     the marks around the deploy, by name without the prefix (empty when the deploy never began)
     * @param copyHead  what the names of the tables kept as they were before the rollback start with (one per release, so
     *                  that a later rollback never replaces an earlier one's copies)
     */
    public static Report rollback(
            Connection c,
            Path dump,
            String prefix,
            Map<String, DatabaseDump.DumpedTable> backedUp,
            List<String> siteNow,
            Map<String, DeployMark> marks,
            String copyHead)
            throws SQLException, IOException {
        WordPressTables.prepareForLoad(c);
        Map<String, String> restored = new TreeMap<>();
        Map<String, Long> kept = new TreeMap<>();
        List<String> keptEdits = new ArrayList<>();
        List<String> putBack = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> notKept = new ArrayList<>();
        List<String> untouched = new ArrayList<>();
        Map<String, String> preRollback = new TreeMap<>();
        Set<String> now = new HashSet<>(siteNow);
        Map<String, String> creates = DatabaseDump.createStatements(dump);
        Map<String, String> toLoad = new LinkedHashMap<>();
        for (var entry : backedUp.entrySet()) {
            String table = prefix + entry.getKey();
            DatabaseDump.DumpedTable then = entry.getValue();
            if (!now.contains(table)) {
                toLoad.put(table, "gone from live since the backup");
            } else if (!schema(WordPressTables.createStatement(c, table)).equals(schema(creates.get(table)))) {
                toLoad.put(table, SCHEMA_CHANGED);
            } else if (!DatabaseDump.digest(c, table, then.rowsOfTheBackup()).equals(then.content())) {
                toLoad.put(table, "rows it held at the backup were changed");
            } else {
                untouched.add(table);
                DeployMark mark = marks.get(entry.getKey());
                String deployWrote =
                        then.keyColumn() == null || mark == null ? null : mark.deployWrote(then.keyColumn());
                if (deployWrote != null) {
                    List<String> keys = keys(c, table, then.keyColumn(), deployWrote);
                    if (!keys.isEmpty()) {
                        execute(c, "DELETE FROM " + WordPressTables.quote(table) + " WHERE " + deployWrote);
                        removed.add(keys.size() + " row(s) the deploy wrote in " + table + " (" + then.keyColumn() + " "
                                + keys + ")");
                    }
                }
                if (then.keyColumn() != null) {
                    long since = count(
                            c,
                            table,
                            then.maxKey() == null
                                    ? null
                                    : WordPressTables.quote(then.keyColumn()) + " > " + then.maxKey());
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
                DeployMark mark = marks.getOrDefault(
                        table.substring(prefix.length()), new DeployMark(null, null, DeployedRows.UNKNOWN));
                String copy = sideName(copyHead, table);
                Kept k = swapInKeepingLiveWrites(
                        c, table, side, copy, then, mark, entry.getValue().equals(SCHEMA_CHANGED));
                if (k.rows() > 0) kept.put(table, k.rows());
                keptEdits.addAll(k.keptEdits());
                putBack.addAll(k.putBack());
                removed.addAll(k.removed());
                notKept.addAll(k.notKept());
                preRollback.put(table, copy);
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
                // a table created since the backup that already holds rows may hold what visitors wrote: kept for a
                // person to decide
                kept.put(table, rows);
            }
        }
        return new Report(restored, kept, keptEdits, putBack, removed, notKept, preRollback, untouched);
    }

    private static final String SCHEMA_CHANGED = "its schema was changed by the release";

    private record Kept(
            long rows, List<String> keptEdits, List<String> putBack, List<String> removed, List<String> notKept) {}

    /**
     * The backed-up table, loaded as {@code side}, gets live's edits of the rows the deploy did not
     * touch and the rows written on live since the backup, and replaces the live table in one
     * rename; the live table is kept as {@code copy}. What visitors wrote while this ran is taken
     * over from the copy after the rename.
     */
    private static Kept swapInKeepingLiveWrites(
            Connection c,
            String table,
            String side,
            String copy,
            DatabaseDump.DumpedTable then,
            DeployMark mark,
            boolean schemaChanged)
            throws SQLException {
        List<String> sideColumns = WordPressTables.columnNames(c, side);
        Set<String> liveColumns = new HashSet<>(WordPressTables.columnNames(c, table));
        List<String> common = sideColumns.stream().filter(liveColumns::contains).toList();
        String key = then.keyColumn() != null && liveColumns.contains(then.keyColumn()) ? then.keyColumn() : null;
        String writtenSince;
        if (key != null) {
            writtenSince = then.maxKey() == null ? "TRUE" : WordPressTables.quote(key) + " > " + then.maxKey();
        } else {
            // no integer key: a row is new when the backup holds no row with the same key (or, without one, the same
            // values)
            List<String> match = WordPressTables.primaryKey(c, side).columns().stream()
                    .filter(liveColumns::contains)
                    .toList();
            if (match.isEmpty()) match = common;
            writtenSince = "NOT EXISTS (SELECT 1 FROM " + WordPressTables.quote(side) + " b WHERE "
                    + match.stream()
                            .map(col -> "b." + WordPressTables.quote(col) + " <=> l." + WordPressTables.quote(col))
                            .collect(Collectors.joining(" AND "))
                    + ")";
        }
        List<String> removed = new ArrayList<>();
        String deployWrote = key == null ? null : mark.deployWrote(key);
        if (deployWrote != null) {
            List<String> keys = keys(c, table, key, deployWrote);
            if (!keys.isEmpty())
                removed.add(keys.size() + " row(s) the deploy wrote in " + table + " (" + key + " " + keys + ")");
            writtenSince = "(" + writtenSince + ") AND NOT (" + deployWrote + ")";
        }
        List<String> notKept = new ArrayList<>();
        RowMerge merge = RowMerge.of(c, table, side, copy, then, mark.rows(), schemaChanged, liveColumns);
        merge.takeLiveEdits(c, table, side, common, notKept);
        String upTo = key == null
                ? null
                : single(c, "SELECT MAX(" + WordPressTables.quote(key) + ") FROM " + WordPressTables.quote(table));
        long rows = copyRows(
                c,
                table,
                side,
                common,
                key,
                upTo == null
                        ? writtenSince
                        : "(" + writtenSince + ") AND " + WordPressTables.quote(key) + " <= " + upTo,
                notKept);
        execute(c, "DROP TABLE IF EXISTS " + WordPressTables.quote(copy));
        execute(
                c,
                "RENAME TABLE " + WordPressTables.quote(table) + " TO " + WordPressTables.quote(copy) + ", "
                        + WordPressTables.quote(side) + " TO " + WordPressTables.quote(table));
        if (key != null) {
            // rows a visitor wrote while the copy ran landed in the table that was live until the rename
            rows += copyRows(
                    c,
                    copy,
                    table,
                    common,
                    key,
                    upTo == null ? "TRUE" : WordPressTables.quote(key) + " > " + upTo,
                    notKept);
        }
        merge.takeEditsSinceFirstLook(c, copy, table, common, notKept);
        return new Kept(rows, merge.keptEdits(), merge.putBack(), removed, notKept);
    }

    /**
     * The rows the backup holds, decided one by one from three versions: as backed up, as the deploy
     * left them, as they are now on live.
     */
    private static final class RowMerge {
        private final RowHashes.Identity id;
        private final String table;
        private final String copy;
        private final String where;
        private final Map<String, String> backedUp;
        private final DeployedRows deployed;
        private final boolean schemaChanged;
        private Map<String, String> seen;
        private final List<String> keptEdits = new ArrayList<>();
        private final List<String> putBack = new ArrayList<>();
        private int putBackUnlisted;

        private RowMerge(
                RowHashes.Identity id,
                String table,
                String copy,
                String where,
                Map<String, String> backedUp,
                DeployedRows deployed,
                boolean schemaChanged) {
            this.id = id;
            this.table = table;
            this.copy = copy;
            this.where = where;
            this.backedUp = backedUp;
            this.deployed = deployed;
            this.schemaChanged = schemaChanged;
        }

        /** Nothing to decide row by row when the backup's table has no primary key or live lost one of its columns. */
        static RowMerge of(
                Connection c,
                String table,
                String side,
                String copy,
                DatabaseDump.DumpedTable then,
                DeployedRows deployed,
                boolean schemaChanged,
                Set<String> liveColumns)
                throws SQLException {
            RowHashes.Identity id = RowHashes.identity(c, side);
            if (id == null || !liveColumns.containsAll(id.columns())) {
                return new RowMerge(null, table, copy, null, Map.of(), deployed, schemaChanged);
            }
            return new RowMerge(
                    id, table, copy, then.rowsOfTheBackup(), RowHashes.of(c, side, id, null), deployed, schemaChanged);
        }

        List<String> keptEdits() {
            return keptEdits;
        }

        List<String> putBack() {
            List<String> all = new ArrayList<>(putBack);
            if (putBackUnlisted > 0) {
                all.add(putBackUnlisted + (all.isEmpty() ? "" : " more") + " row(s) of " + table + " the deploy changed"
                        + (schemaChanged ? " (it migrated the table)" : "") + ", as the backup holds them");
            }
            return all;
        }

        /** Before the swap: live's edits of rows the deploy did not touch go into {@code side}, which holds the backup. */
        void takeLiveEdits(Connection c, String live, String side, List<String> common, List<String> notKept)
                throws SQLException {
            if (id == null) {
                notKept.add("the edits live made since the backup to the rows of " + table
                        + " (it has no primary key to tell its rows apart): " + "they are in " + copy);
                return;
            }
            seen = RowHashes.of(c, live, id, where);
            decide(c, live, side, backedUp, seen, common, notKept);
        }

        /** After the swap: rows visitors changed while the rollback ran, read in the copy of the table that was live until the rename. */
        void takeEditsSinceFirstLook(
                Connection c, String copyOfLive, String restored, List<String> common, List<String> notKept)
                throws SQLException {
            if (id == null) return;
            decide(c, copyOfLive, restored, seen, RowHashes.of(c, copyOfLive, id, where), common, notKept);
        }

        /**
         * Every row the backup holds whose hash in {@code now} differs from {@code before}: live's
         * version kept where the deploy did not touch the row; the backup's where the deploy changed
         * it and nobody since; where both changed it, the backup's, reported with live's version in
         * the copy.
         */
        private void decide(
                Connection c,
                String from,
                String into,
                Map<String, String> before,
                Map<String, String> now,
                List<String> common,
                List<String> notKept)
                throws SQLException {
            List<String> keep = new ArrayList<>();
            List<String> gone = new ArrayList<>();
            int conflicts = 0;
            List<String> conflictKeys = new ArrayList<>();
            for (String key : new java.util.TreeSet<>(backedUp.keySet())) {
                String current = now.get(key);
                if (java.util.Objects.equals(current, before.get(key))) continue;
                if (!schemaChanged && !deployed.touched(key, backedUp.get(key))) {
                    if (current == null) gone.add(key);
                    else keep.add(key);
                    if (keep.size() + gone.size() <= LISTED_ROWS) {
                        keptEdits.add(
                                current == null
                                        ? "deletion of " + table + " " + describe(key)
                                                + " (the deploy had not touched it)"
                                        : "edit of " + table + " " + describe(key) + " (" + columns(c, from, into, key)
                                                + "; the deploy had not touched it)");
                    }
                } else if (deployed.asDeployed(key, current)) {
                    if (putBack.size() < LISTED_ROWS && !schemaChanged) {
                        putBack.add("the row the deploy changed in " + table + " " + describe(key) + " ("
                                + columns(c, from, into, key) + ")");
                    } else {
                        putBackUnlisted++;
                    }
                } else {
                    if (++conflicts <= LISTED_ROWS) {
                        String what = deployed.kind() == DeployedRows.Kind.UNKNOWN
                                ? "what the deploy did to it is not known"
                                : "the deploy changed it too";
                        notKept.add("live's " + (current == null ? "deletion" : "edit") + " of " + table + " "
                                + describe(key)
                                + (current == null || schemaChanged ? "" : " (" + columns(c, from, into, key) + ")")
                                + ": " + what
                                + "; the row is back as backed up, live's version is in " + copy);
                    } else {
                        conflictKeys.add(key);
                    }
                }
            }
            if (!conflictKeys.isEmpty()) {
                notKept.add(conflictKeys.size() + " more edited row(s) of " + table + " that the deploy changed too ("
                        + id.columns() + " "
                        + conflictKeys.subList(0, Math.min(conflictKeys.size(), 200))
                        + (conflictKeys.size() > 200 ? " …" : "")
                        + "): back as backed up, live's versions are in " + copy);
            }
            int listed = Math.min(keep.size() + gone.size(), LISTED_ROWS);
            if (keep.size() + gone.size() > listed) {
                keptEdits.add("edits of " + (keep.size() + gone.size() - listed) + " more row(s) of " + table
                        + " that the deploy had not touched");
            }
            String cols = common.stream().map(WordPressTables::quote).collect(Collectors.joining(", "));
            if (!keep.isEmpty()) {
                RowHashes.forKeys(
                        c,
                        "REPLACE INTO " + WordPressTables.quote(into) + " (" + cols + ") SELECT "
                                + common.stream()
                                        .map(col -> "l." + WordPressTables.quote(col))
                                        .collect(Collectors.joining(", "))
                                + " FROM " + WordPressTables.quote(from) + " l WHERE ",
                        id,
                        "l",
                        keep);
            }
            if (!gone.isEmpty())
                RowHashes.forKeys(c, "DELETE l FROM " + WordPressTables.quote(into) + " l WHERE ", id, "l", gone);
        }

        private String describe(String key) {
            return id.columns().size() == 1
                    ? id.columns().get(0) + "=" + key
                    : "(" + String.join(", ", id.columns()) + ")=(" + key + ")";
        }

        private String columns(Connection c, String from, String into, String key) throws SQLException {
            List<String> differ = RowHashes.differingColumns(c, into, from, id, key);
            return differ.isEmpty() ? "the row" : "column(s) " + String.join(", ", differ);
        }
    }

    /**
     * Copies the rows of {@code from} matching {@code where} (aliased {@code l}) into {@code to}, in
     * strict mode so that a value that does not fit fails instead of being cut; when the whole copy
     * fails, row by row, reporting each row that does not fit with its key. A copied row that has the
     * same unique key as a backed-up one (an option or transient deleted and added again since the
     * backup) is the newer version of that record and replaces it.
     */
    private static long copyRows(
            Connection c, String from, String to, List<String> columns, String key, String where, List<String> notKept)
            throws SQLException {
        String cols = columns.stream().map(WordPressTables::quote).collect(Collectors.joining(", "));
        String select = "SELECT "
                + columns.stream().map(col -> "l." + WordPressTables.quote(col)).collect(Collectors.joining(", "))
                + " FROM " + WordPressTables.quote(from) + " l WHERE ";
        String insert = "REPLACE INTO " + WordPressTables.quote(to) + " (" + cols + ") ";
        try (Statement st = c.createStatement()) {
            st.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,STRICT_ALL_TABLES'");
            try {
                long rows = Long.parseLong(
                        single(c, "SELECT COUNT(*) FROM " + WordPressTables.quote(from) + " l WHERE " + where));
                st.executeLargeUpdate(insert + select + where);
                return rows;
            } catch (SQLException whole) {
                if (key == null) {
                    notKept.add(single(c, "SELECT COUNT(*) FROM " + WordPressTables.quote(from) + " l WHERE " + where)
                            + " row(s) of " + from + " (it has no integer key to name them by): " + whole.getMessage());
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
        return name.length() <= MAX_NAME
                ? name
                : head + Sha256.of(table).substring(0, 16) + "_"
                        + table.substring(table.length() - (MAX_NAME - head.length() - 17));
    }

    /** A CREATE TABLE statement as a schema: one line, without the table's name or its next auto-increment value. */
    private static String schema(String create) {
        if (create == null) return "";
        String oneLine = create.replace('\n', ' ').replaceAll(" AUTO_INCREMENT=\\d+", "");
        return oneLine.substring(oneLine.indexOf(" ("));
    }

    private static List<String> keys(Connection c, String table, String key, String where) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + WordPressTables.quote(key) + " FROM "
                        + WordPressTables.quote(table) + " l WHERE " + where + " ORDER BY 1")) {
            while (rs.next()) keys.add(rs.getString(1));
        }
        return keys;
    }

    private static long count(Connection c, String table, String where) throws SQLException {
        return Long.parseLong(single(
                c, "SELECT COUNT(*) FROM " + WordPressTables.quote(table) + (where == null ? "" : " WHERE " + where)));
    }

    private static String single(Connection c, String query) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
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
