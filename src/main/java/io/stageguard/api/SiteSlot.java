package io.stageguard.api;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * One release or staging refresh per site, taken atomically: a row per site whose primary key the
 * database guards, written in the same transaction that starts the process. Of N simultaneous
 * starts one inserts the row; the others wait on the key and then fail, answering 409. The row
 * names the process that holds it, so a finished (or cancelled) process frees the slot without
 * a listener that an operator's cancel could skip.
 */
@Component
class SiteSlot {
    private final JdbcTemplate jdbc;
    private final RuntimeService runtime;

    SiteSlot(JdbcTemplate jdbc, RuntimeService runtime) {
        this.jdbc = jdbc;
        this.runtime = runtime;
    }

    /** Takes the site's slot for {@code holderId}; must run inside the transaction that starts the process. */
    void take(String siteId, String holderId) {
        List<Map<String, Object>> rows =
                jdbc.queryForList("select holder_id, process_instance_id from sg_site_slot where site_id = ?", siteId);
        try {
            if (!rows.isEmpty()) {
                String holder = (String) rows.get(0).get("holder_id");
                String instance = (String) rows.get(0).get("process_instance_id");
                if (instance == null
                        || runtime.createProcessInstanceQuery()
                                        .processInstanceId(instance)
                                        .count()
                                > 0) throw busy(siteId, holder);
                // the holder has ended: free the slot, unless another start has just done so
                if (jdbc.update("delete from sg_site_slot where site_id = ? and holder_id = ?", siteId, holder) == 0)
                    throw busy(siteId, holder);
            }
            jdbc.update(
                    "insert into sg_site_slot (site_id, holder_id, taken_at) values (?, ?, ?)",
                    siteId,
                    holderId,
                    Timestamp.from(Instant.now()));
        } catch (DuplicateKeyException | PessimisticLockingFailureException e) {
            // the key is taken, or another start holds it in a transaction not yet committed
            throw busy(siteId, null);
        }
    }

    /** Who holds the site's slot with a process still running, if anyone. */
    Optional<String> runningHolder(String siteId) {
        List<Map<String, Object>> rows =
                jdbc.queryForList("select holder_id, process_instance_id from sg_site_slot where site_id = ?", siteId);
        if (rows.isEmpty()) return Optional.empty();
        String instance = (String) rows.get(0).get("process_instance_id");
        // a slot without its process yet belongs to a start still in its transaction
        boolean running = instance == null
                || runtime.createProcessInstanceQuery()
                                .processInstanceId(instance)
                                .count()
                        > 0;
        return running ? Optional.of((String) rows.get(0).get("holder_id")) : Optional.empty();
    }

    void heldBy(String siteId, String holderId, String processInstanceId) {
        jdbc.update(
                "update sg_site_slot set process_instance_id = ? where site_id = ? and holder_id = ?",
                processInstanceId,
                siteId,
                holderId);
    }

    /**
     * Whether a start failed because another one held the database rows it needed: a lock wait that
     * timed out, a deadlock, a concurrent update, in Stageguard's own statements or the engine's
     * (which wrap the driver's exception), as opposed to a fault that must surface.
     */
    static boolean lostRace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.springframework.dao.ConcurrencyFailureException
                    || t instanceof org.springframework.dao.QueryTimeoutException
                    || t instanceof org.camunda.bpm.engine.OptimisticLockingException
                    || t instanceof java.sql.SQLTransientException
                    || t instanceof java.sql.SQLTransactionRollbackException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && H2_RACE_CODES.contains(sql.getErrorCode())) return true;
        }
        return false;
    }

    /** H2's lock timeout, deadlock, concurrent update and duplicate key (the other start committed first). */
    private static final java.util.Set<Integer> H2_RACE_CODES = java.util.Set.of(50200, 40001, 90131, 23505);

    static InvalidRequestException busy(String siteId, String holder) {
        return new InvalidRequestException(
                HttpStatus.CONFLICT,
                Map.of(
                        "siteId",
                        "site " + siteId + " already has a release or staging refresh in progress"
                                + (holder == null ? "" : " (" + holder + ")")));
    }
}
