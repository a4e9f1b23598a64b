package io.stageguard.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stageguard.push.DeploymentPlan.Step;
import io.stageguard.push.DeploymentPlan.StepKind;
import io.stageguard.signoff.FrozenManifest;
import io.stageguard.site.Site;
import io.stageguard.site.SiteCaches;
import io.stageguard.update.Change;
import io.stageguard.update.ChangeFootprint;
import io.stageguard.update.ChangeInstaller;
import io.stageguard.update.ChangeSetApplier;
import io.stageguard.update.ChangeType;
import io.stageguard.update.VersionStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Builds and records the deployment plan of a signed-off release: read-only on live (versions from
 * the package headers, {@code db_version}) and on staging ({@code db_version} after the release was
 * applied there: the database migration the push will cause).
 */
@Component
public class DeploymentPlanner {
    /** What verifying one page on live costs, on top of staging's timings: a load at two widths. */
    static final long SECONDS_PER_PAGE = 3;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JdbcTemplate jdbc;

    private final ChangeSetApplier applier;

    public DeploymentPlanner(JdbcTemplate jdbc, ChangeSetApplier applier) {
        this.jdbc = jdbc;
        this.applier = applier;
    }

    /** How long staging took for the work the push repeats on live. */
    public record StagingTimings(
            long cloneFilesMillis, long cloneFilesBytes, long cloneDatabaseMillis, long applyMillis) {}

    public DeploymentPlan plan(
            String releaseId, Site site, FrozenManifest manifest, List<String> pages, StagingTimings timings)
            throws IOException, SQLException {
        List<Step> steps = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        List<String> rollback = new ArrayList<>();
        PlanRisk risk = PlanRisk.LOW;
        List<Change> changes = manifest.changes();
        List<String> folders = ChangeFootprint.paths(site.live().documentRoot(), changes);
        String prefix = site.live().database().tablePrefix();

        add(
                steps,
                StepKind.DRIFT_CHECK,
                "Check that live is as it was tested: " + String.join(", ", folders)
                        + ", WordPress version, db_version");
        add(
                steps,
                StepKind.BACKUP,
                "Back up " + String.join(", ", folders) + " and the database tables with prefix " + prefix
                        + ", then verify the backup");
        long touchedBytes = 0;
        for (FrozenManifest.Entry entry : manifest.entries()) {
            Change change = entry.change();
            String from = ChangeInstaller.replacedOn(site.live(), change);
            for (String path : ChangeFootprint.paths(site.live().documentRoot(), change))
                touchedBytes += size(site.live().documentRoot().resolve(path));
            if (change.type().isSetting()) {
                add(
                        steps,
                        StepKind.PACKAGE,
                        change.type() + " " + change.slug() + ": " + from + " → " + change.version()
                                + (change.type() == ChangeType.OPTION
                                        ? ", set with update_option()"
                                        : ", its define() in wp-config.php, written beside and renamed in"));
                reasons.add(change.type() + " " + change.slug() + " changes a setting of live");
                risk = risk.max(PlanRisk.NORMAL);
                rollback.add(
                        change.type() == ChangeType.OPTION
                                ? "Put back the option " + change.slug() + " (" + from + ") with the options table"
                                : "Put back wp-config.php from the backup (" + change.slug() + " " + from + ")");
                continue;
            }
            VersionStep step = VersionStep.between(from, change.version());
            if (change.type() == ChangeType.CORE) {
                add(
                        steps,
                        StepKind.PACKAGE,
                        "WordPress core: " + from + " → " + change.version() + " (" + step.label()
                                + "): wp-admin, the root files and"
                                + " wp-includes unpacked beside and swapped in while .maintenance stands (as long as the renames), files the new version"
                                + " dropped removed, then the database upgrade (wp_upgrade())");
            } else {
                add(
                        steps,
                        StepKind.PACKAGE,
                        change.type() + " " + change.slug() + ": "
                                + ("none".equals(from)
                                        ? "added, " + change.version() + " (activated)"
                                        : from + " → " + change.version())
                                + " (" + step.label() + "), unpacked beside its folder and swapped in atomically");
            }
            PlanRisk stepRisk = switch (step) {
                case SAME, PATCH -> PlanRisk.LOW;
                case MINOR, UNKNOWN -> PlanRisk.NORMAL;
                case NEW, MAJOR, DOWNGRADE -> PlanRisk.HIGH;
            };
            if (stepRisk != PlanRisk.LOW)
                reasons.add(change.type() + " " + change.slug() + ": " + step.label() + " step");
            risk = risk.max(stepRisk);
            if (change.type() == ChangeType.CORE) {
                rollback.add("Put back WordPress " + from
                        + "'s wp-admin, wp-includes and root files from the backup, removing what the update added");
            } else {
                rollback.add(
                        "none".equals(from)
                                ? "Remove " + change.targetFolder() + " (absent before the push)"
                                : "Put back " + change.targetFolder() + " " + from + " from the backup");
            }
        }
        add(
                steps,
                StepKind.SERVE_NEW_CODE,
                "Make live's PHP serve the new code (OPcache of the swapped folders invalidated, object cache flushed) "
                        + "and check the versions it reports");
        String liveDb = LiveDrift.dbVersion(site.live());
        String stagingDb = LiveDrift.dbVersion(site.staging());
        if (!liveDb.equals(stagingDb)) {
            add(
                    steps,
                    StepKind.DATABASE,
                    "WordPress database upgrade, as on staging: db_version " + liveDb + " → " + stagingDb);
            reasons.add("database migration (db_version " + liveDb + " → " + stagingDb + ")");
            risk = PlanRisk.HIGH;
        } else {
            add(
                    steps,
                    StepKind.DATABASE,
                    "No WordPress database upgrade: staging's db_version stayed " + liveDb
                            + " with these changes applied");
        }
        // what each change did to staging's schema when it was applied (and its plugin migrated on the admin request
        // after it)
        for (ChangeSetApplier.AppliedChange applied : applier.appliedIn(manifest.releaseId(), manifest.qaRound())) {
            List<String> schema = applied.schemaChanges().stream()
                    .filter(s -> !s.startsWith("option "))
                    .toList();
            long options = applied.schemaChanges().size() - schema.size();
            if (schema.isEmpty() && options == 0) continue;
            add(
                    steps,
                    StepKind.DATABASE,
                    applied.type() + " " + applied.slug() + " changed staging's database: "
                            + (schema.isEmpty() ? "" : String.join("; ", schema) + (options > 0 ? "; " : ""))
                            + (options > 0 ? options + " option(s) added or changed" : "")
                            + "; the same happens on live when it first runs there");
            if (!schema.isEmpty()) {
                reasons.add(applied.type() + " " + applied.slug() + " migrates tables (" + schema.size()
                        + " schema change(s) on staging)");
                risk = PlanRisk.HIGH;
            }
        }
        add(
                steps,
                StepKind.PURGE,
                "Purge " + String.join(", ", cacheLayers(site.caches()))
                        + ", then check no page is served from before the purge");
        add(steps, StepKind.VERIFY, "Verify live on " + String.join(", ", pages));
        rollback.add("Put back what the push changed in the tables with prefix " + prefix
                + " (tables it migrated, rows it changed or wrote),"
                + " keeping the rows live's visitors wrote since the backup");
        rollback.add("Make live's PHP serve the restored code, purge the caches, verify live");

        double bytesPerMilli =
                timings.cloneFilesMillis() > 0 ? (double) timings.cloneFilesBytes() / timings.cloneFilesMillis() : 0;
        long backupMillis =
                timings.cloneDatabaseMillis() + (bytesPerMilli > 0 ? (long) (touchedBytes / bytesPerMilli) : 0);
        long estimated =
                Math.round((backupMillis * 2 + timings.applyMillis()) / 1000.0) + SECONDS_PER_PAGE * pages.size();
        List<DeploymentPlan.RollbackStep> rollbackSteps = new ArrayList<>();
        for (String r : rollback) rollbackSteps.add(new DeploymentPlan.RollbackStep(rollbackSteps.size() + 1, r));
        // a rollback copies back about what the backup copied; the rehearsal before the push replaces this with a
        // measurement
        return new DeploymentPlan(
                manifest.releaseId(),
                site.id(),
                risk,
                reasons,
                steps,
                estimated,
                rollbackSteps,
                backupMillis / 1000.0,
                false);
    }

    /** Keeps the plan with the release (one per release; a push planned again replaces it). */
    public void record(DeploymentPlan plan) {
        String text;
        try {
            text = JSON.writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        jdbc.update("delete from sg_deployment_plan where release_id = ?", plan.releaseId());
        jdbc.update(
                "insert into sg_deployment_plan (release_id, plan, created_at) values (?, ?, ?)",
                plan.releaseId(),
                text,
                Timestamp.from(Instant.now()));
    }

    private static List<String> cacheLayers(SiteCaches caches) {
        List<String> layers =
                new ArrayList<>(List.of("the WordPress object cache and transients", "page-cache plugins"));
        if (caches.reverseProxy() != null)
            layers.add("the reverse proxy at " + caches.reverseProxy().url() + " ("
                    + caches.reverseProxy().method() + ")");
        if (caches.cloudflare() != null)
            layers.add("Cloudflare zone " + caches.cloudflare().zoneId());
        if (caches.fastly() != null)
            layers.add("Fastly service " + caches.fastly().serviceId());
        return layers;
    }

    private static void add(List<Step> steps, StepKind kind, String description) {
        steps.add(new Step(steps.size() + 1, kind, description));
    }

    private static long size(Path folder) throws IOException {
        if (Files.isRegularFile(folder)) return Files.size(folder);
        if (!Files.isDirectory(folder)) return 0;
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }
}
