package io.stageguard.backup;

import io.stageguard.site.Site;
import io.stageguard.site.WordPressTables;
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
 * written by visitors and stay. The first mark also records that the deploy began, after which the
 * pre-deploy backup is never replaced.
 */
@Component
public class DeployMarks {
    private final JdbcTemplate jdbc;

    public DeployMarks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Before the first write; a retried deploy keeps the marks of its first attempt, which came before anything was written. */
    public void beforeDeploy(String releaseId, Site site, Map<String, DatabaseDump.DumpedTable> backedUp) throws SQLException {
        if (deployStarted(releaseId)) return;
        jdbc.update("delete from sg_deploy_mark where release_id = ?", releaseId);
        try (Connection c = site.live().database().open()) {
            c.setReadOnly(true);
            for (var table : backedUp.entrySet()) {
                if (table.getValue().keyColumn() == null) continue;
                jdbc.update("insert into sg_deploy_mark (release_id, table_name, before_key) values (?, ?, ?)", releaseId, table.getKey(),
                        highestKey(c, site.live().database().tablePrefix() + table.getKey(), table.getValue().keyColumn()));
            }
        }
        jdbc.update("update sg_backup set deploy_started_at = ? where release_id = ?", Timestamp.from(Instant.now()), releaseId);
    }

    /** After the deploy's last write (the served code refreshed, so upgrade routines have run), also when it failed half-way. */
    public void afterDeploy(String releaseId, Site site, Map<String, DatabaseDump.DumpedTable> backedUp) throws SQLException {
        try (Connection c = site.live().database().open()) {
            c.setReadOnly(true);
            for (String table : jdbc.queryForList("select table_name from sg_deploy_mark where release_id = ?", String.class, releaseId)) {
                DatabaseDump.DumpedTable then = backedUp.get(table);
                String after = then == null ? null : highestKey(c, site.live().database().tablePrefix() + table, then.keyColumn());
                jdbc.update("update sg_deploy_mark set after_key = ? where release_id = ? and table_name = ?", after, releaseId, table);
            }
        }
    }

    public boolean deployStarted(String releaseId) {
        Integer n = jdbc.queryForObject("select count(*) from sg_backup where release_id = ? and deploy_started_at is not null", Integer.class, releaseId);
        return n != null && n > 0;
    }

    /** The marks by table name without the prefix; empty when the deploy never began. */
    public Map<String, DatabaseRollback.DeployMark> of(String releaseId) {
        Map<String, DatabaseRollback.DeployMark> marks = new TreeMap<>();
        jdbc.query("select table_name, before_key, after_key from sg_deploy_mark where release_id = ?",
                rs -> { marks.put(rs.getString(1), new DatabaseRollback.DeployMark(rs.getString(2), rs.getString(3))); }, releaseId);
        return marks;
    }

    /** The table's highest key, or {@code null} when it is empty or gone. */
    private static String highestKey(Connection c, String table, String keyColumn) throws SQLException {
        if (!WordPressTables.exists(c, table)) return null;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT MAX(" + WordPressTables.quote(keyColumn) + ") FROM "
                + WordPressTables.quote(table))) {
            rs.next();
            return rs.getString(1);
        }
    }
}
