package io.stageguard.api;

import static io.stageguard.access.AccessPolicy.USER;

import io.stageguard.StageguardProperties;
import io.stageguard.access.AccessPolicy;
import io.stageguard.release.ReleaseRecords;
import io.stageguard.update.ChangeSetApplier;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The door for other systems: start a release or a staging refresh, read how it is doing. */
@RestController
@RequestMapping("/api")
class ReleaseController {
    private final ReleaseService releases;
    private final ReleaseStatusReader status;
    private final StageguardProperties app;
    private final AccessPolicy policy;

    private final ReleaseRecords records;
    private final ChangeSetApplier applier;

    ReleaseController(
            ReleaseService releases,
            ReleaseStatusReader status,
            StageguardProperties app,
            AccessPolicy policy,
            ReleaseRecords records,
            ChangeSetApplier applier) {
        this.records = records;
        this.applier = applier;
        this.policy = policy;
        this.releases = releases;
        this.status = status;
        this.app = app;
    }

    @PostMapping("/releases")
    ResponseEntity<Map<String, Object>> start(
            @RequestBody ReleaseService.ReleaseRequest request, @RequestAttribute(USER) String user) {
        return created(releases.start(request, user));
    }

    /** Phase 1 alone for a registered site: refresh staging from live. Its status reads like a release's. */
    @PostMapping("/sites/{siteId}/staging-refresh")
    ResponseEntity<Map<String, Object>> refreshStaging(
            @PathVariable String siteId, @RequestAttribute(USER) String user) {
        return created(releases.refreshStaging(siteId, user));
    }

    private ResponseEntity<Map<String, Object>> created(ReleaseService.StartedRelease started) {
        String self = app.publicUrl() + "/api/releases/" + started.releaseId();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("releaseId", started.releaseId());
        body.put("processInstanceId", started.processInstanceId());
        body.put(
                "links",
                Map.of(
                        "status", self,
                        "cockpit",
                                app.publicUrl() + "/camunda/app/cockpit/default/#/process-instance/"
                                        + started.processInstanceId() + "/runtime",
                        "tasklist", app.publicUrl() + "/camunda/app/tasklist/default/"));
        return ResponseEntity.created(URI.create(self)).body(body);
    }

    @GetMapping("/releases/{releaseId}")
    ResponseEntity<ReleaseStatusReader.ReleaseStatus> get(
            @PathVariable String releaseId, @RequestAttribute(USER) String user) {
        if (!policy.mayReadRelease(user, releaseId)) throw forbidden(releaseId);
        return status.read(releaseId)
                .map(ResponseEntity::ok)
                .orElse(ResponseEntity.notFound().build());
    }

    /** One release of a site as its history lists it: when, by whom, how it ended, and the changes of its last QA round. */
    record HistoryEntry(
            String releaseId,
            java.time.Instant startedAt,
            String startedBy,
            String state,
            String outcome,
            List<ChangeSetApplier.AppliedChange> changes) {}

    /**
     * A site's releases, newest first, each with the changes it applied (from- and to-version,
     * source, SHA-256, git commit, how it went in) and its outcome.
     */
    @GetMapping("/sites/{siteId}/history")
    ResponseEntity<List<HistoryEntry>> history(@PathVariable String siteId, @RequestAttribute(USER) String user) {
        if (!policy.mayReadSite(user, siteId)) {
            throw new InvalidRequestException(
                    HttpStatus.FORBIDDEN, Map.of("siteId", "you have no part in site " + siteId));
        }
        List<HistoryEntry> entries = new ArrayList<>();
        for (ReleaseRecords.Listed listed : records.ofSite(siteId, 200)) {
            var now = status.read(listed.id());
            int round = records.find(listed.id())
                    .map(ReleaseRecords.Release::qaRound)
                    .orElse(1);
            entries.add(new HistoryEntry(
                    listed.id(),
                    listed.createdAt(),
                    listed.startedBy(),
                    now.map(ReleaseStatusReader.ReleaseStatus::state).orElse("unknown"),
                    now.map(ReleaseStatusReader.ReleaseStatus::outcome).orElse(null),
                    applier.appliedIn(listed.id(), round)));
        }
        return ResponseEntity.ok(entries);
    }

    /** Optional why, kept with the release. */
    record RollbackRequest(String reason) {}

    /** Another system or an operator saw live go wrong during the watch window: roll back now. */
    @PostMapping("/releases/{releaseId}/rollback")
    ResponseEntity<Map<String, Object>> rollback(
            @PathVariable String releaseId,
            @RequestBody(required = false) RollbackRequest request,
            @RequestAttribute(USER) String user) {
        if (!policy.mayRollBack(user, releaseId)) throw forbidden(releaseId);
        releases.requestRollback(releaseId, user, request == null ? null : request.reason());
        return ResponseEntity.accepted()
                .body(Map.of(
                        "releaseId",
                        releaseId,
                        "rollback",
                        "requested",
                        "status",
                        app.publicUrl() + "/api/releases/" + releaseId));
    }

    /**
     * Within the restore window after a release: put its pre-release backup back, keeping what
     * live wrote since. Answers 202 with the restore's own id, followed like a release.
     */
    @PostMapping("/releases/{releaseId}/restore")
    ResponseEntity<Map<String, Object>> restore(
            @PathVariable String releaseId,
            @RequestBody(required = false) RollbackRequest request,
            @RequestAttribute(USER) String user) {
        if (!policy.mayRollBack(user, releaseId)) throw forbidden(releaseId);
        ReleaseService.StartedRelease restore =
                releases.restore(releaseId, user, request == null ? null : request.reason());
        return ResponseEntity.accepted()
                .body(Map.of(
                        "releaseId",
                        releaseId,
                        "restoreId",
                        restore.releaseId(),
                        "status",
                        app.publicUrl() + "/api/releases/" + restore.releaseId()));
    }

    /** The same answer whether the release exists or not: a stranger learns nothing from it. */
    private static InvalidRequestException forbidden(String releaseId) {
        return new InvalidRequestException(
                HttpStatus.FORBIDDEN, Map.of("releaseId", "you have no part in the site of release " + releaseId));
    }
}
