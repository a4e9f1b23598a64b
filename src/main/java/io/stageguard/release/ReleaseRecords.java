package io.stageguard.release;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What a release is, as Stageguard recorded it when the release started: its site, its QA round,
 * who started it and who last revised it. Process variables show these to people, but a task
 * completion can set variables; what is cloned, tested, frozen and deployed is decided from here.
 */
@Component
public class ReleaseRecords {
    private final JdbcTemplate jdbc;

    public ReleaseRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Release(String id, String siteId, int qaRound, String startedBy, String lastRevisedBy) {}

    public void create(String releaseId, String siteId, String startedBy) {
        jdbc.update(
                "insert into sg_release (id, site_id, started_by, created_at) values (?, ?, ?, ?)",
                releaseId,
                siteId,
                startedBy,
                Timestamp.from(Instant.now()));
    }

    /** A restore of {@code releaseId}'s pre-release backup, recorded like a release of the same site. */
    public void createRestore(String restoreId, String siteId, String startedBy, String releaseId) {
        create(restoreId, siteId, startedBy);
        jdbc.update("update sg_release set restores = ? where id = ?", releaseId, restoreId);
    }

    /**
     * The release whose backup a rollback under {@code id} puts back: the release itself, or for a
     * restore started after the release, the release it restores.
     */
    public String backupOf(String id) {
        List<String> restores = jdbc.queryForList(
                "select restores from sg_release where id = ? and restores is not null", String.class, id);
        return restores.isEmpty() ? id : restores.get(0);
    }

    public void attachProcess(String releaseId, String processInstanceId) {
        jdbc.update("update sg_release set process_instance_id = ? where id = ?", processInstanceId, releaseId);
    }

    public Optional<Release> find(String releaseId) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "select id, site_id, qa_round, started_by, last_revised_by from sg_release where id = ?", releaseId);
        return rows.stream()
                .findFirst()
                .map(r -> new Release(
                        (String) r.get("id"),
                        (String) r.get("site_id"),
                        ((Number) r.get("qa_round")).intValue(),
                        (String) r.get("started_by"),
                        (String) r.get("last_revised_by")));
    }

    /** A site's releases (and restores and staging refreshes), newest first: id, when, by whom. */
    public record Listed(String id, Instant createdAt, String startedBy) {}

    public List<Listed> ofSite(String siteId, int newest) {
        return jdbc.query(
                "select id, created_at, started_by from sg_release where site_id = ? order by created_at desc limit ?",
                (rs, i) -> new Listed(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3)),
                siteId,
                newest);
    }

    public Release get(String releaseId) {
        return find(releaseId)
                .orElseThrow(() -> new IllegalStateException("Stageguard has no record of release " + releaseId));
    }

    /** Opens the next QA round after a revision; returns its number. */
    public int nextRound(String releaseId) {
        jdbc.update("update sg_release set qa_round = qa_round + 1 where id = ?", releaseId);
        return get(releaseId).qaRound();
    }

    /** The person who completed the revise task: four-eyes keeps them from signing off their own change set. */
    public void revisedBy(String releaseId, String userId) {
        jdbc.update("update sg_release set last_revised_by = ? where id = ?", userId, releaseId);
    }
}
