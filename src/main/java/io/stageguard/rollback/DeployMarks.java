package io.stageguard.rollback;

import io.stageguard.site.Site;
import io.stageguard.wordpress.WordPressTables;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The highest key of each of live's tables right before the deploy's first write and right after
 * its last: rows between the two were written by the deploy (upgrade routines adding options, seed
 * rows) and go with a rollback; rows above the backup's maximum that are not between them were
 * written by visitors and stay. Each table's checksum is taken at both moments too; where it
 * changed, the rows the backup holds are recorded as hashes as the deploy left them, so a rollback
 * can tell a row the deploy changed from one a visitor edited ({@link DatabaseRollback.DeployedRows}).
 * The first mark also records that the deploy began, after which the pre-deploy backup is never
 * replaced; the marks after the deploy are taken once: a retry never widens them over rows that
 * visitors wrote since.
 */
@Component
public class DeployMarks {
    private final JdbcTemplate jdbc;

    public DeployMarks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Before the first write; a retried deploy keeps the marks of its first attempt, which came before anything was written. */
    public void beforeDeploy(String releaseId, Site site, Map<String, DatabaseDump.DumpedTable> backedUp)
            throws SQLException {
        if (deployStarted(releaseId)) return;
        jdbc.update("delete from sg_deploy_mark where release_id = ?", releaseId);
        try (Connection c = site.live().database().open()) {
            c.setReadOnly(true);
            for (var table : backedUp.entrySet()) {
                String name = site.live().database().tablePrefix() + table.getKey();
                String keyColumn = table.getValue().keyColumn();
                jdbc.update(
                        "insert into sg_deploy_mark (release_id, table_name, before_key, before_checksum) values (?, ?, ?, ?)",
                        releaseId,
                        table.getKey(),
                        keyColumn == null ? null : highestKey(c, name, keyColumn),
                        RowHashes.checksum(c, name));
            }
        }
        jdbc.update(
                "update sg_backup set deploy_started_at = ? where release_id = ?",
                Timestamp.from(Instant.now()),
                releaseId);
    }

    /**
     * After the deploy's last write (the served code refreshed, so upgrade routines have run), also
     * when it failed half-way; only the first time: a retry keeps these marks.
     */
    public void afterDeploy(String releaseId, Site site, Map<String, DatabaseDump.DumpedTable> backedUp)
            throws SQLException {
        Integer taken = jdbc.queryForObject(
                "select count(*) from sg_deploy_mark where release_id = ? and after_taken", Integer.class, releaseId);
        if (taken != null && taken > 0) return;
        try (Connection c = site.live().database().open()) {
            c.setReadOnly(true);
            for (Map<String, Object> mark : jdbc.queryForList(
                    "select table_name, before_checksum from sg_deploy_mark where release_id = ?", releaseId)) {
                String table = (String) mark.get("table_name");
                DatabaseDump.DumpedTable then = backedUp.get(table);
                String name = site.live().database().tablePrefix() + table;
                String after = then == null || then.keyColumn() == null ? null : highestKey(c, name, then.keyColumn());
                DatabaseRollback.DeployedRows rows = then == null
                        ? DatabaseRollback.DeployedRows.UNKNOWN
                        : DatabaseRollback.DeployedRows.observe(c, name, (String) mark.get("before_checksum"), then);
                jdbc.update("delete from sg_deploy_row where release_id = ? and table_name = ?", releaseId, table);
                jdbc.batchUpdate(
                        "insert into sg_deploy_row (release_id, table_name, row_key, row_hash) values (?, ?, ?, ?)",
                        rows.after().entrySet().stream()
                                .map(r -> new Object[] {releaseId, table, r.getKey(), r.getValue()})
                                .toList());
                jdbc.update(
                        "update sg_deploy_mark set after_key = ?, deployed_rows = ?, after_taken = true where release_id = ? and table_name = ?",
                        after,
                        rows.kind().name(),
                        releaseId,
                        table);
            }
        }
    }

    public boolean deployStarted(String releaseId) {
        Integer n = jdbc.queryForObject(
                "select count(*) from sg_backup where release_id = ? and deploy_started_at is not null",
                Integer.class,
                releaseId);
        return n != null && n > 0;
    }

    /** The marks by table name without the prefix; empty when the deploy never began. */
    public Map<String, DatabaseRollback.DeployMark> of(String releaseId) {
        Map<String, Map<String, String>> rows = new java.util.HashMap<>();
        jdbc.query(
                "select table_name, row_key, row_hash from sg_deploy_row where release_id = ?",
                rs -> {
                    rows.computeIfAbsent(rs.getString(1), t -> new java.util.HashMap<>())
                            .put(rs.getString(2), rs.getString(3));
                },
                releaseId);
        Map<String, DatabaseRollback.DeployMark> marks = new TreeMap<>();
        jdbc.query(
                "select table_name, before_key, after_key, deployed_rows from sg_deploy_mark where release_id = ?",
                rs -> {
                    String kind = rs.getString(4);
                    DatabaseRollback.DeployedRows deployed = kind == null
                            ? DatabaseRollback.DeployedRows.UNKNOWN
                            : switch (DatabaseRollback.DeployedRows.Kind.valueOf(kind)) {
                                case UNTOUCHED -> DatabaseRollback.DeployedRows.UNTOUCHED;
                                case RECORDED ->
                                    DatabaseRollback.DeployedRows.recorded(
                                            rows.getOrDefault(rs.getString(1), Map.of()));
                                case UNKNOWN -> DatabaseRollback.DeployedRows.UNKNOWN;
                            };
                    marks.put(
                            rs.getString(1),
                            new DatabaseRollback.DeployMark(rs.getString(2), rs.getString(3), deployed));
                },
                releaseId);
        return marks;
    }

    /** The table's highest key, or {@code null} when it is empty or gone. */
    private static String highestKey(Connection c, String table, String keyColumn) throws SQLException {
        if (!WordPressTables.exists(c, table)) return null;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT MAX(" + WordPressTables.quote(keyColumn) + ") FROM " + WordPressTables.quote(table))) {
            rs.next();
            return rs.getString(1);
        }
    }
}
