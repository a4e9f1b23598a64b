package io.stageguard.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.stageguard.StageguardProperties;
import io.stageguard.metrics.ReleaseMetrics;
import io.stageguard.process.engine.ReleaseModel;
import io.stageguard.process.engine.ReleaseVariables;
import io.stageguard.qa.QaProperties;
import io.stageguard.release.ReleaseRecords;
import io.stageguard.rollback.RestoreAfterRelease;
import io.stageguard.site.DatabaseConnection;
import io.stageguard.site.Site;
import io.stageguard.site.registry.SiteRegistry;
import io.stageguard.update.Change;
import io.stageguard.update.ChangeSetValidator;
import io.stageguard.update.GitPackager;
import io.stageguard.update.PackageFolders;
import io.stageguard.update.SiteFit;
import io.stageguard.update.UpdateDiscovery;
import io.stageguard.update.VersionStep;
import io.stageguard.wordpress.PageFetcher;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Starts releases: validates the request, checks the site can be reached, and starts the process. */
@Service
public class ReleaseService {

    private final SiteRegistry sites;
    private final RuntimeService runtime;
    private final PageFetcher fetcher;
    private final QaProperties qa;
    private final StageguardProperties app;
    private final SiteSlot slot;
    private final ReleaseRecords records;
    private final TransactionTemplate transactions;
    private final HistoryService history;
    private final RestoreAfterRelease restorePath;
    private final ReleaseMetrics metrics;
    private final SiteFit fit;
    private final UpdateDiscovery discovery;
    private final GitPackager git;
    private final PackageFolders packageFolders;

    public ReleaseService(
            SiteRegistry sites,
            RuntimeService runtime,
            PageFetcher fetcher,
            QaProperties qa,
            StageguardProperties app,
            SiteSlot slot,
            PlatformTransactionManager transactions,
            ReleaseRecords records,
            HistoryService history,
            RestoreAfterRelease restorePath,
            ReleaseMetrics metrics,
            SiteFit fit,
            UpdateDiscovery discovery,
            GitPackager git,
            PackageFolders packageFolders) {
        this.git = git;
        this.packageFolders = packageFolders;
        this.metrics = metrics;
        this.fit = fit;
        this.discovery = discovery;
        this.history = history;
        this.restorePath = restorePath;
        this.records = records;
        this.slot = slot;
        this.transactions = new TransactionTemplate(transactions);
        this.sites = sites;
        this.runtime = runtime;
        this.fetcher = fetcher;
        this.qa = qa;
        this.app = app;
    }

    /**
     * @param changes the changes, each with its package; may be left out when {@code updates} says what to update
     * @param updates updates to find at the sources and add to the changes
     */
    public record ReleaseRequest(String siteId, List<Change> changes, List<String> qaPaths, UpdateSelection updates) {}

    /**
     * Which updates a release takes from {@link UpdateDiscovery}: {@code include} is "all" or a list
     * of slugs ("wordpress" for core), {@code max} the largest step (patch, minor, major; minor when
     * left out). Each included item gets the newest version within that step whose requirements the
     * site meets.
     */
    public record UpdateSelection(JsonNode include, String max) {}

    public record StartedRelease(String releaseId, String processInstanceId) {}

    public StartedRelease start(ReleaseRequest request, String startedBy) {
        Map<String, String> errors = new LinkedHashMap<>();
        Optional<Site> site = Optional.empty();
        if (request.siteId() == null || request.siteId().isBlank()) {
            errors.put("siteId", "is required");
        } else {
            site = sites.find(request.siteId());
            if (site.isEmpty())
                errors.put(
                        "siteId", "unknown site '" + request.siteId() + "': register it with PUT /api/sites/{siteId}");
        }
        List<Change> changes = new ArrayList<>(request.changes() == null ? List.of() : request.changes());
        if (request.updates() != null && site.isPresent())
            changes.addAll(selectedUpdates(site.get(), request.updates(), changes, errors));
        errors.putAll(git.pinAll(changes, changes::set));
        if (request.updates() == null || !changes.isEmpty())
            errors.putAll(ChangeSetValidator.problems(changes, packageFolders));
        List<String> paths =
                request.qaPaths() == null || request.qaPaths().isEmpty() ? List.of("/") : request.qaPaths();
        for (int i = 0; i < paths.size(); i++) {
            String problem = qaPathProblem(paths.get(i));
            if (problem != null) errors.put("qaPaths[" + i + "]", problem);
        }
        if (!errors.isEmpty()) throw new InvalidRequestException(HttpStatus.BAD_REQUEST, errors);

        Site target = site.get();
        // uploaded packages are named by their hash; from here on each change names its file
        List<Change> accepted = packageFolders.resolved(changes);
        // a site that cannot be reached is 503, before the set is checked against what live runs
        refuseWhenUnreachable(target);
        errors.putAll(fit.problemsOn(target.live(), accepted));
        if (!errors.isEmpty()) throw new InvalidRequestException(HttpStatus.BAD_REQUEST, errors);

        String releaseId = "rel-" + UUID.randomUUID().toString().substring(0, 8);
        return inOneTransaction(target.id(), () -> {
            slot.take(target.id(), releaseId);
            records.create(releaseId, target.id(), startedBy);
            Map<String, Object> variables = shown(target, releaseId, paths);
            ReleaseVariables.CHANGES.putInto(variables, accepted);
            ReleaseVariables.QA_ROUND.putInto(variables, 1);
            ReleaseVariables.MAX_QA_ROUNDS.putInto(variables, qa.maxRounds());
            ProcessInstance instance =
                    runtime.startProcessInstanceByKey(ReleaseModel.STAGING_RELEASE, releaseId, variables);
            records.attachProcess(releaseId, instance.getId());
            slot.heldBy(target.id(), releaseId, instance.getId());
            metrics.started(target.id());
            return new StartedRelease(releaseId, instance.getId());
        });
    }

    /**
     * The changes {@code selection} asks for, found at the update sources for what live runs; items
     * the explicit {@code changes} already cover are left to them. Problems go into {@code errors}
     * under "updates...".
     */
    private List<Change> selectedUpdates(
            Site site, UpdateSelection selection, List<Change> changes, Map<String, String> errors) {
        VersionStep max;
        try {
            max = selection.max() == null
                    ? VersionStep.MINOR
                    : VersionStep.valueOf(selection.max().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            max = null;
        }
        if (max != VersionStep.PATCH && max != VersionStep.MINOR && max != VersionStep.MAJOR) {
            errors.put("updates.max", "must be patch, minor or major");
            return List.of();
        }
        List<String> slugs = new ArrayList<>();
        boolean all = selection.include() != null
                && selection.include().isTextual()
                && selection.include().asText().equals("all");
        if (!all) {
            if (selection.include() == null
                    || !selection.include().isArray()
                    || selection.include().isEmpty()) {
                errors.put("updates.include", "must be \"all\" or a list of slugs (\"wordpress\" for core)");
                return List.of();
            }
            selection.include().forEach(n -> slugs.add(n.asText()));
        }
        List<UpdateDiscovery.AvailableUpdate> found;
        try {
            found = discovery.discover(site, max);
        } catch (java.io.IOException e) {
            errors.put("updates", "the update sources could not be asked: " + e.getMessage());
            return List.of();
        }
        List<Change> selected = new ArrayList<>();
        for (UpdateDiscovery.AvailableUpdate update : found) {
            boolean wanted = all || slugs.contains(update.slug());
            boolean explicit = changes.stream()
                    .anyMatch(c -> c.type() == update.type() && c.slug().equals(update.slug()));
            if (wanted && !explicit && update.newestCompatible() != null) selected.add(update.change());
        }
        for (int i = 0; i < slugs.size(); i++) {
            String slug = slugs.get(i);
            if (selected.stream().anyMatch(c -> c.slug().equals(slug))
                    || changes.stream().anyMatch(c -> slug.equals(c.slug()))) continue;
            String why = found.stream()
                    .filter(u -> u.slug().equals(slug))
                    .findFirst()
                    .map(u -> "no version of " + slug + " newer than " + u.installed() + " fits: "
                            + String.join("; ", u.heldBack()))
                    .orElse("live has no " + slug + " that a source has a newer version of");
            errors.put("updates.include[" + i + "]", why);
        }
        if (selected.isEmpty()
                && changes.isEmpty()
                && errors.keySet().stream().noneMatch(k -> k.startsWith("updates"))) {
            errors.put(
                    "updates", "live has no update within " + max.label() + " steps whose requirements the site meets");
        }
        return selected;
    }

    /**
     * Asks a release that watches live after its push to roll back now (the BPMN message
     * {@code RollbackRequested}); refused with 409 when no push of this release is being watched.
     */
    public void requestRollback(String releaseId, String requestedBy, String reason) {
        String request = "requested by " + requestedBy + " at " + Instant.now()
                + (reason == null || reason.isBlank() ? "" : ": " + reason.strip());
        try {
            runtime.createMessageCorrelation(ReleaseModel.MESSAGE_ROLLBACK_REQUESTED)
                    .processInstanceBusinessKey(releaseId)
                    .setVariable(ReleaseVariables.LIVE_VERIFIED.name(), false)
                    .setVariable(ReleaseVariables.ROLLBACK_REQUEST.name(), request)
                    .correlateWithResult();
        } catch (MismatchingMessageCorrelationException notWatching) {
            throw new InvalidRequestException(
                    HttpStatus.CONFLICT,
                    Map.of(
                            "releaseId",
                            "release " + releaseId
                                    + " is not watching live after a push, so there is nothing to roll back now; a restore after the release is phase 6's"));
        }
    }

    /**
     * Phase 6 after the release ended: puts back the release's pre-release backup with the same
     * keep-live-data rules as a rollback (the {@code rollback} process under a restore id of its
     * own, which holds the site's slot while it runs). 404 for an unknown release, 409 naming
     * {@code releaseId} when it cannot be restored (and why).
     */
    public StartedRelease restore(String releaseId, String requestedBy, String reason) {
        ReleaseRecords.Release release = records.find(releaseId)
                .filter(r -> records.backupOf(releaseId).equals(releaseId))
                .orElseThrow(() -> new InvalidRequestException(
                        HttpStatus.NOT_FOUND, Map.of("releaseId", "unknown release '" + releaseId + "'")));
        restorePath.whyNot(releaseId, release.siteId(), Instant.now()).ifPresent(why -> {
            throw new InvalidRequestException(HttpStatus.CONFLICT, Map.of("releaseId", why));
        });
        Site target = sites.get(release.siteId());
        String restoreId = "restore-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> paths = history
                .createHistoricVariableInstanceQuery()
                .processInstanceIdIn(rootInstanceOf(releaseId))
                .variableName(ReleaseVariables.QA_PATHS.name())
                .list()
                .stream()
                .findFirst()
                .map(v -> ReleaseVariables.QA_PATHS.parse(String.valueOf(v.getValue())))
                .orElse(List.of("/"));
        Map<String, Object> variables = shown(target, restoreId, paths);
        ReleaseVariables.RESTORE_REQUEST.putInto(
                variables,
                "restore of release " + releaseId + "'s pre-release backup, requested by " + requestedBy + " at "
                        + Instant.now() + (reason == null || reason.isBlank() ? "" : ": " + reason.strip()));
        return inOneTransaction(target.id(), () -> {
            slot.take(target.id(), restoreId);
            records.createRestore(restoreId, target.id(), requestedBy, releaseId);
            ProcessInstance instance = runtime.startProcessInstanceByKey(ReleaseModel.ROLLBACK, restoreId, variables);
            records.attachProcess(restoreId, instance.getId());
            slot.heldBy(target.id(), restoreId, instance.getId());
            return new StartedRelease(restoreId, instance.getId());
        });
    }

    private String rootInstanceOf(String releaseId) {
        return history
                .createHistoricProcessInstanceQuery()
                .processInstanceBusinessKey(releaseId)
                .processDefinitionKey(ReleaseModel.STAGING_RELEASE)
                .list()
                .stream()
                .findFirst()
                .map(p -> p.getId())
                .orElse("none");
    }

    /**
     * Phase 1 on its own: makes staging a fresh, private copy of live (after an incident on staging,
     * or before a developer starts work there). It takes the site's release slot while it runs.
     */
    public StartedRelease refreshStaging(String siteId, String startedBy) {
        Site target = sites.find(siteId)
                .orElseThrow(() -> new InvalidRequestException(
                        HttpStatus.NOT_FOUND,
                        Map.of("siteId", "unknown site '" + siteId + "': register it with PUT /api/sites/{siteId}")));
        refuseWhenUnreachable(target);
        String refreshId = "refresh-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> variables = shown(target, refreshId, List.of("/"));
        return inOneTransaction(target.id(), () -> {
            slot.take(target.id(), refreshId);
            records.create(refreshId, target.id(), startedBy);
            ProcessInstance instance =
                    runtime.startProcessInstanceByKey(ReleaseModel.CREATE_STAGING_CLONE, refreshId, variables);
            records.attachProcess(refreshId, instance.getId());
            slot.heldBy(target.id(), refreshId, instance.getId());
            return new StartedRelease(refreshId, instance.getId());
        });
    }

    /** What a release or refresh shows from its start: the site, where to find it, the paths QA and verification load. */
    private Map<String, Object> shown(Site target, String releaseId, List<String> paths) {
        Map<String, Object> variables = new LinkedHashMap<>();
        ReleaseVariables.SITE_ID.putInto(variables, target.id());
        ReleaseVariables.RELEASE_ID.putInto(variables, releaseId);
        ReleaseVariables.QA_PATHS.putInto(variables, paths);
        ReleaseVariables.LIVE_URL.putInto(variables, target.live().baseUrl());
        ReleaseVariables.STAGING_URL.putInto(variables, target.staging().baseUrl());
        ReleaseVariables.STATUS_URL.putInto(variables, app.publicUrl() + "/api/releases/" + releaseId);
        return variables;
    }

    /**
     * One release (or refresh) per site at a time, since two would overwrite each other's staging:
     * the slot is taken in the transaction that starts the process, so a failed start frees it.
     */
    private StartedRelease inOneTransaction(String siteId, Supplier<StartedRelease> start) {
        try {
            return transactions.execute(status -> start.get());
        } catch (RuntimeException e) {
            // a start that waited on another's uncommitted slot can fail anywhere in its transaction (a lock
            // timeout in the engine's tables on a busy machine): it lost the race, which is a 409, not a 500
            if (SiteSlot.lostRace(e)) throw SiteSlot.busy(siteId, null);
            throw e;
        }
    }

    private void refuseWhenUnreachable(Site target) {
        Map<String, String> unreachable = reachability(target);
        if (!unreachable.isEmpty()) throw new InvalidRequestException(HttpStatus.SERVICE_UNAVAILABLE, unreachable);
    }

    static String qaPathProblem(String path) {
        if (path == null || !path.startsWith("/") || path.startsWith("//"))
            return "must be a path on the site starting with '/'";
        if (path.matches(".*(^|/)\\.\\.(/|$).*") || path.contains("\\") || path.matches(".*\\s.*")) {
            return "must not contain '..', '\\' or spaces: it may not leave the document root";
        }
        return null;
    }

    private Map<String, String> reachability(Site site) {
        Map<String, String> errors = new LinkedHashMap<>();
        checkDatabase("live.database", site.live().database(), errors);
        checkDatabase("staging.database", site.staging().database(), errors);
        try {
            int status = fetcher.get(site.live().url("/")).status();
            if (status >= 500)
                errors.put("live.baseUrl", "live answers HTTP " + status + " on /; fix live before releasing to it");
        } catch (IOException e) {
            errors.put("live.baseUrl", "live site unreachable at " + site.live().baseUrl() + ": " + e.getMessage());
        }
        return errors;
    }

    private static void checkDatabase(String field, DatabaseConnection db, Map<String, String> errors) {
        try (Connection c = db.open()) {
            c.isValid(5);
        } catch (SQLException e) {
            errors.put(field, "database unreachable (" + db + "): " + e.getMessage());
        }
    }
}
