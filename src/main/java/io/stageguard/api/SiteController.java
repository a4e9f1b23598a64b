package io.stageguard.api;

import static io.stageguard.access.AccessPolicy.USER;

import io.stageguard.access.AccessPolicy;
import io.stageguard.clone.StagingState;
import io.stageguard.rollback.LiveBackup;
import io.stageguard.site.Site;
import io.stageguard.site.SiteAccess;
import io.stageguard.site.SiteCaches;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.site.SiteQa;
import io.stageguard.site.SiteWebhook;
import io.stageguard.site.UserFlow;
import io.stageguard.site.registry.SiteRegistration;
import io.stageguard.site.registry.SiteRegistry;
import io.stageguard.update.UpdateDiscovery;
import io.stageguard.update.VersionStep;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Registers the sites Stageguard may release. Passwords go in and are never answered back. */
@RestController
@RequestMapping("/api/sites")
class SiteController {
    private final SiteRegistry registry;
    private final SiteRegistration registration;
    private final AccessPolicy policy;
    private final LiveBackup backups;
    private final StagingState stagingState;
    private final UpdateDiscovery discovery;
    private final SiteSlot slot;

    SiteController(
            SiteRegistry registry,
            SiteRegistration registration,
            AccessPolicy policy,
            LiveBackup backups,
            StagingState stagingState,
            UpdateDiscovery discovery,
            SiteSlot slot) {
        this.discovery = discovery;
        this.slot = slot;
        this.stagingState = stagingState;
        this.backups = backups;
        this.policy = policy;
        this.registry = registry;
        this.registration = registration;
    }

    record SiteRequest(
            SiteEnvironment live,
            SiteEnvironment staging,
            SiteQa qa,
            SiteAccess access,
            SiteCaches caches,
            List<String> tags,
            SiteWebhook webhook) {}

    @PutMapping("/{siteId}")
    ResponseEntity<Map<String, Object>> put(@PathVariable String siteId, @RequestBody SiteRequest request) {
        // without its people a site would fall to the global developers and clients groups: every client of every site
        // would
        // read it and sign it off (review 954a1fc, M9)
        if (request.access() == null) {
            throw new InvalidRequestException(
                    HttpStatus.BAD_REQUEST,
                    Map.of(
                            "access",
                            "is required: name the site's developers and clients "
                                    + "(users or groups), e.g. {\"developers\": {\"users\": [\"dana\"]}, \"clients\": {\"groups\": [\"acme-clients\"]}}"));
        }
        Site site = new Site(
                siteId,
                request.live(),
                request.staging(),
                request.qa(),
                request.access(),
                request.caches(),
                request.tags(),
                request.webhook());
        refuseNewTargetsWhileBusy(site);
        Map<String, String> problems = registration.register(site);
        if (!problems.isEmpty()) throw new InvalidRequestException(HttpStatus.BAD_REQUEST, problems);
        return ResponseEntity.ok(describe(site));
    }

    /**
     * Every step of a release reads the site's definition anew: a new live root or database between
     * the backup and the push would aim the push, and the rollback's drops, at what was never backed
     * up (review 954a1fc, M1). While a release or refresh holds the site, live and staging stay as
     * they are; its people, QA, caches and tags may change.
     */
    private void refuseNewTargetsWhileBusy(Site site) {
        Optional<Site> stored = registry.find(site.id());
        if (stored.isEmpty() || site.live() == null || site.staging() == null) return;
        Optional<String> holder = slot.runningHolder(site.id());
        if (holder.isEmpty()) return;
        Map<String, String> changed = new LinkedHashMap<>();
        if (!sameTarget(stored.get().live(), site.live()))
            changed.put(
                    "live",
                    "cannot change while " + holder.get() + " is in progress on site " + site.id()
                            + ": it was backed up and is pushed as it is defined now; change it once the release has ended");
        if (!sameTarget(stored.get().staging(), site.staging()))
            changed.put(
                    "staging",
                    "cannot change while " + holder.get() + " is in progress on site " + site.id()
                            + ": its QA and sign-off are about this staging; change it once the release has ended");
        if (!changed.isEmpty()) throw new InvalidRequestException(HttpStatus.CONFLICT, changed);
    }

    /** Where an environment is: its address, files, database and PHP (a password may be rotated at any time). */
    private static boolean sameTarget(SiteEnvironment a, SiteEnvironment b) {
        if (b.database() == null) return false;
        return java.util.Objects.equals(a.baseUrl(), b.baseUrl())
                && java.util.Objects.equals(a.documentRoot(), b.documentRoot())
                && java.util.Objects.equals(a.phpRuntime(), b.phpRuntime())
                && a.database()
                        .host()
                        .equalsIgnoreCase(String.valueOf(b.database().host()))
                && a.database().port() == b.database().port()
                && a.database().name().equals(b.database().name())
                && a.database().user().equals(b.database().user())
                && a.database().tablePrefix().equals(b.database().tablePrefix());
    }

    @GetMapping("/{siteId}")
    ResponseEntity<Map<String, Object>> get(@PathVariable String siteId, @RequestAttribute(USER) String user) {
        if (!policy.mayReadSite(user, siteId)) {
            throw new InvalidRequestException(
                    HttpStatus.FORBIDDEN, Map.of("siteId", "you have no part in site " + siteId));
        }
        return registry.find(siteId)
                .map(s -> {
                    Map<String, Object> described = new LinkedHashMap<>(describe(s));
                    stagingState.read(s).ifPresent(state -> described.put("stagingState", state));
                    return ResponseEntity.ok(described);
                })
                .orElse(ResponseEntity.notFound().build());
    }

    /**
     * The updates the site's live could take: per item the installed version, the newer versions
     * its source has, the newest one whose own requirements the site meets, the step, and why newer
     * ones are held back. Reads live; fetches packages into Stageguard's download folder: an action,
     * so a POST (with the JSON content type every writing request carries), never a link a site
     * member could be made to open (review 954a1fc, M10).
     */
    /** A search downloads packages and runs PHP against live: once a minute per site is plenty for people and schedules alike. */
    private static final java.time.Duration UPDATE_SEARCH_INTERVAL = java.time.Duration.ofMinutes(1);

    private final Map<String, java.time.Instant> lastUpdateSearch = new java.util.concurrent.ConcurrentHashMap<>();

    @PostMapping("/{siteId}/updates")
    ResponseEntity<Map<String, Object>> updates(@PathVariable String siteId, @RequestAttribute(USER) String user)
            throws java.io.IOException {
        if (!policy.mayReadSite(user, siteId)) {
            throw new InvalidRequestException(
                    HttpStatus.FORBIDDEN, Map.of("siteId", "you have no part in site " + siteId));
        }
        var site = registry.find(siteId);
        if (site.isEmpty()) return ResponseEntity.notFound().build();
        java.time.Instant now = java.time.Instant.now();
        java.time.Instant searched = lastUpdateSearch.compute(
                siteId,
                (id, last) -> last != null && last.plus(UPDATE_SEARCH_INTERVAL).isAfter(now) ? last : now);
        if (!searched.equals(now)) {
            long wait = Math.max(
                    1,
                    java.time.Duration.between(now, searched.plus(UPDATE_SEARCH_INTERVAL))
                            .toSeconds());
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .header("Retry-After", String.valueOf(wait))
                    .body(Map.of(
                            "errors",
                            Map.of(
                                    "siteId",
                                    "site " + siteId + "'s updates were searched less than a minute ago; ask again in "
                                            + wait + " s")));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("siteId", siteId);
        answer.put("updates", discovery.discover(site.get(), VersionStep.MAJOR));
        return ResponseEntity.ok(answer);
    }

    /** The site's pre-deploy backups: its restore paths, and what retention removed. */
    @GetMapping("/{siteId}/backups")
    ResponseEntity<List<LiveBackup.Listed>> backups(@PathVariable String siteId, @RequestAttribute(USER) String user) {
        if (!policy.mayReadSite(user, siteId)) {
            throw new InvalidRequestException(
                    HttpStatus.FORBIDDEN, Map.of("siteId", "you have no part in site " + siteId));
        }
        if (registry.find(siteId).isEmpty()) return ResponseEntity.notFound().build();
        return ResponseEntity.ok(backups.list(siteId));
    }

    private static Map<String, Object> describe(Site site) {
        Map<String, Object> qa = new LinkedHashMap<>();
        qa.put("masks", site.qa().masks());
        qa.put(
                "flows",
                site.qa().flows().stream()
                        .map(flow -> new UserFlow(
                                flow.name(),
                                flow.steps().stream().map(UserFlow.Step::masked).toList()))
                        .toList());
        if (site.qa().admin() != null)
            qa.put(
                    "admin",
                    Map.of(
                            "user",
                            site.qa().admin().user(),
                            "paths",
                            site.qa().admin().paths()));
        return Map.of(
                "siteId",
                site.id(),
                "live",
                describe(site.live()),
                "staging",
                describe(site.staging()),
                "qa",
                qa,
                "caches",
                site.caches().describe(),
                "tags",
                site.tags(),
                // the URL carries the receiver's token: whether there is one, never where
                "webhook",
                site.webhook() == null ? "none" : "set");
    }

    private static Map<String, Object> describe(SiteEnvironment env) {
        return Map.of(
                "baseUrl",
                env.baseUrl(),
                "documentRoot",
                env.documentRoot().toString(),
                "database",
                env.database().toString());
    }
}
