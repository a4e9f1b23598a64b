package io.stageguard.rollback;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Phase 6's "maintain a restore path" after the release has ended: whether a release's
 * pre-release backup may still be put back, and if not, why. Restorable is a release that wrote
 * to live, whose backup is verified, neither restored nor removed, taken within
 * {@code stageguard.backups.restorable-for}, and that no later push to the same site built on.
 */
@Component
public class RestoreAfterRelease {
    private final JdbcTemplate jdbc;
    private final BackupRetention.BackupProperties properties;

    public RestoreAfterRelease(JdbcTemplate jdbc, BackupRetention.BackupProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** Why the release cannot be restored now, or empty when it can. */
    public Optional<String> whyNot(String releaseId, String siteId, Instant now) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "select created_at, verified_at, restored_at, removed_at, deploy_started_at from sg_backup"
                        + " where release_id = ?",
                releaseId);
        if (rows.isEmpty())
            return Optional.of(
                    "release " + releaseId + " has no pre-release backup: it never reached the push to live");
        Map<String, Object> b = rows.get(0);
        if (b.get("deploy_started_at") == null)
            return Optional.of("release " + releaseId + " never wrote to live: there is nothing to restore");
        if (b.get("verified_at") == null)
            return Optional.of("the backup of release " + releaseId + " was never verified");
        if (b.get("restored_at") != null)
            return Optional.of(
                    "the backup of release " + releaseId + " was already restored at " + instant(b.get("restored_at")));
        if (b.get("removed_at") != null) {
            return Optional.of("the backup of release " + releaseId + " was removed by retention at "
                    + instant(b.get("removed_at")));
        }
        Instant pushed = instant(b.get("deploy_started_at"));
        if (pushed.plus(properties.restorableFor()).isBefore(now)) {
            return Optional.of(
                    "release " + releaseId + " was pushed at " + pushed + ", longer ago than the restore window of "
                            + properties.restorableFor().toDays() + " days (stageguard.backups.restorable-for)");
        }
        List<String> later = jdbc.queryForList(
                "select b.release_id from sg_backup b join sg_release r on r.id = b.release_id where r.site_id = ?"
                        + " and b.deploy_started_at > ? and b.restored_at is null order by b.deploy_started_at",
                String.class,
                siteId,
                Timestamp.from(pushed));
        if (!later.isEmpty()) {
            return Optional.of("release " + String.join(", ", later) + " was pushed to live after release " + releaseId
                    + " and builds on it: restore " + later.get(later.size() - 1) + " first");
        }
        return Optional.empty();
    }

    private static Instant instant(Object timestamp) {
        return ((Timestamp) timestamp).toInstant();
    }
}
