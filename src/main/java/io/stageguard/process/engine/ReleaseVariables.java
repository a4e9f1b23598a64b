package io.stageguard.process.engine;

import com.fasterxml.jackson.core.type.TypeReference;
import io.stageguard.clone.ParityReport;
import io.stageguard.clone.StagingCloner;
import io.stageguard.push.DeploymentPlan;
import io.stageguard.push.LiveWatch;
import io.stageguard.qa.QaReport;
import io.stageguard.qa.QaThumbnails;
import io.stageguard.release.ReleaseRecords;
import io.stageguard.signoff.FrozenManifest;
import io.stageguard.site.Site;
import io.stageguard.site.registry.SiteRegistry;
import io.stageguard.update.Change;
import io.stageguard.update.ChangeSetApplier;
import io.stageguard.update.ChangeSetRevision;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Every variable of a release, declared once with its type: the contract between the REST API,
 * the delegates, the models' gateways and call-activity mappings, the Tasklist forms and the
 * status answer. The release id is the business key; a site is carried by id only, so its
 * credentials never enter variables or history; site and QA round as Stageguard acts on them come
 * from {@link ReleaseRecords}, the variables only show them.
 */
@Component
public class ReleaseVariables {
    // given when the release starts
    public static final ProcessVariable<String> SITE_ID = ProcessVariable.primitive("siteId", String.class);
    public static final ProcessVariable<String> RELEASE_ID = ProcessVariable.primitive("releaseId", String.class);
    /** Live against staging right after the clone, before any change (what cloning and sanitizing changed), and its report. */
    public static final ProcessVariable<String> CLONE_CHECK = ProcessVariable.primitive("cloneCheck", String.class);

    public static final ProcessVariable<String> CLONE_CHECK_URL =
            ProcessVariable.primitive("cloneCheckUrl", String.class);
    public static final ProcessVariable<List<Change>> CHANGES =
            ProcessVariable.json("changes", new TypeReference<>() {});
    public static final ProcessVariable<List<String>> QA_PATHS =
            ProcessVariable.json("qaPaths", new TypeReference<>() {});
    public static final ProcessVariable<Integer> QA_ROUND = ProcessVariable.primitive("qaRound", Integer.class);
    public static final ProcessVariable<Integer> MAX_QA_ROUNDS =
            ProcessVariable.primitive("maxQaRounds", Integer.class);
    public static final ProcessVariable<String> LIVE_URL = ProcessVariable.primitive("liveUrl", String.class);
    public static final ProcessVariable<String> STAGING_URL = ProcessVariable.primitive("stagingUrl", String.class);
    public static final ProcessVariable<String> STATUS_URL = ProcessVariable.primitive("statusUrl", String.class);
    // 1 create staging clone
    public static final ProcessVariable<StagingCloner.FileReport> CLONE_FILES_REPORT =
            ProcessVariable.json("cloneFilesReport", new TypeReference<>() {});
    public static final ProcessVariable<StagingCloner.DatabaseReport> CLONE_DATABASE_REPORT =
            ProcessVariable.json("cloneDatabaseReport", new TypeReference<>() {});
    public static final ProcessVariable<List<ParityReport.Item>> PARITY_REPORT =
            ProcessVariable.json("parityReport", new TypeReference<>() {});
    /** The parity items where staging differs from live: what the sign-off forms show. */
    public static final ProcessVariable<List<ParityReport.Item>> PARITY_DIFFERENCES =
            ProcessVariable.json("parityDifferences", new TypeReference<>() {});
    /** Problems the previous QA round found that this round no longer finds. */
    public static final ProcessVariable<List<QaReport.Resolved>> QA_RESOLVED =
            ProcessVariable.json("qaResolved", new TypeReference<>() {});

    public static final ProcessVariable<Double> PARITY_INDEX = ProcessVariable.primitive("parityIndex", Double.class);
    public static final ProcessVariable<String> PARITY_SUMMARY =
            ProcessVariable.primitive("paritySummary", String.class);
    public static final ProcessVariable<Boolean> PARITY_BLOCKED =
            ProcessVariable.primitive("parityBlocked", Boolean.class);
    // 2 test updates and changes
    public static final ProcessVariable<List<ChangeSetApplier.AppliedChange>> APPLIED_CHANGES =
            ProcessVariable.json("appliedChanges", new TypeReference<>() {});
    // 3 QA and debugging
    public static final ProcessVariable<Boolean> QA_PASSED = ProcessVariable.primitive("qaPassed", Boolean.class);
    public static final ProcessVariable<String> QA_VERDICT = ProcessVariable.primitive("qaVerdict", String.class);
    public static final ProcessVariable<String> QA_SUMMARY = ProcessVariable.primitive("qaSummary", String.class);
    public static final ProcessVariable<List<String>> QA_FINDINGS =
            ProcessVariable.json("qaFindings", new TypeReference<>() {});
    /** The pages the QA round found most changed, as live / staging / difference thumbnails for the sign-off forms. */
    public static final ProcessVariable<List<QaThumbnails.Thumbnail>> QA_THUMBNAILS =
            ProcessVariable.json("qaThumbnails", new TypeReference<>() {});

    public static final ProcessVariable<String> QA_REPORT_URL = ProcessVariable.primitive("qaReportUrl", String.class);
    public static final ProcessVariable<String> QA_REPORT_JSON_URL =
            ProcessVariable.primitive("qaReportJsonUrl", String.class);
    public static final ProcessVariable<Boolean> QA_NEEDS_CULPRIT_SEARCH =
            ProcessVariable.primitive("qaNeedsCulpritSearch", Boolean.class);
    public static final ProcessVariable<String> REVISE_REASON = ProcessVariable.primitive("reviseReason", String.class);
    // the revise task
    public static final ProcessVariable<String> REVISION_DECISION =
            ProcessVariable.primitive("revisionDecision", String.class);
    public static final ProcessVariable<String> REVISED_CHANGES =
            ProcessVariable.primitive("revisedChanges", String.class);
    /** The revise form: the current changes to tick for dropping, those ticked, and one change to add or put in place of its slug's. */
    public static final ProcessVariable<List<Map<String, String>>> CHANGE_CHOICES =
            ProcessVariable.json("changeChoices", new TypeReference<>() {});

    public static final ProcessVariable<List<String>> DROPPED_CHANGES =
            ProcessVariable.json(ChangeSetRevision.DROPPED, new TypeReference<>() {});
    public static final ProcessVariable<String> ADDED_TYPE = ProcessVariable.primitive("addedType", String.class);
    public static final ProcessVariable<String> ADDED_SLUG = ProcessVariable.primitive("addedSlug", String.class);
    public static final ProcessVariable<String> ADDED_VERSION = ProcessVariable.primitive("addedVersion", String.class);
    public static final ProcessVariable<String> ADDED_PACKAGE = ProcessVariable.primitive("addedPackage", String.class);
    public static final ProcessVariable<String> REVISION_ERROR =
            ProcessVariable.primitive("revisionError", String.class);
    // 4 approval and sign-off
    public static final ProcessVariable<String> DEVELOPER_DECISION =
            ProcessVariable.primitive("developerDecision", String.class);
    public static final ProcessVariable<String> DEVELOPER_COMMENT =
            ProcessVariable.primitive("developerComment", String.class);
    public static final ProcessVariable<String> CLIENT_DECISION =
            ProcessVariable.primitive("clientDecision", String.class);
    public static final ProcessVariable<String> CLIENT_COMMENT =
            ProcessVariable.primitive("clientComment", String.class);
    public static final ProcessVariable<FrozenManifest> FROZEN_MANIFEST =
            ProcessVariable.json("frozenManifest", new TypeReference<>() {});
    public static final ProcessVariable<String> MANIFEST_SHA256 =
            ProcessVariable.primitive("manifestSha256", String.class);
    public static final ProcessVariable<Boolean> CHANGE_SET_FROZEN =
            ProcessVariable.primitive("changeSetFrozen", Boolean.class);
    /** Whether the client signs off after the developer, as the release-risk table decided. */
    public static final ProcessVariable<Boolean> CLIENT_SIGNOFF_NEEDED =
            ProcessVariable.primitive("clientSignoffNeeded", Boolean.class);
    /** The experiments of the set as the developer's form offers them to drop: [{label, value: "plugin sg-try"}]. */
    public static final ProcessVariable<List<Map<String, String>>> EXPERIMENT_CHOICES =
            ProcessVariable.json("experimentChoices", new TypeReference<>() {});
    /** The experiments the developer dropped at sign-off ("plugin sg-try"): the set is tested again without them. */
    public static final ProcessVariable<List<String>> DROPPED_EXPERIMENTS =
            ProcessVariable.json("droppedExperiments", new TypeReference<>() {});
    /** Whether the developer approved with experiments dropped, which sends the set back to be tested without them. */
    public static final ProcessVariable<Boolean> EXPERIMENTS_DROPPED =
            ProcessVariable.primitive("experimentsDropped", Boolean.class);
    /** Where to read what each change brings, for the sign-off forms: [{change, steps, readAt}]. */
    public static final ProcessVariable<List<Map<String, String>>> CHANGE_NOTES =
            ProcessVariable.json("changeNotes", new TypeReference<>() {});
    /** Who approves and why, in words: "Developer and client approve: updates WordPress core". */
    public static final ProcessVariable<String> APPROVAL_ROUTE =
            ProcessVariable.primitive("approvalRoute", String.class);
    // 5 push to live
    public static final ProcessVariable<DeploymentPlan> DEPLOYMENT_PLAN =
            ProcessVariable.json("deploymentPlan", new TypeReference<>() {});
    /** the plan's risk as the deployment-confirmation decision table reads it (low, normal, high) */
    public static final ProcessVariable<String> PLAN_RISK = ProcessVariable.primitive("planRisk", String.class);

    public static final ProcessVariable<Boolean> CONFIRM_PLAN = ProcessVariable.primitive("confirmPlan", Boolean.class);
    public static final ProcessVariable<String> PLAN_DECISION = ProcessVariable.primitive("planDecision", String.class);
    /** when the push may start, ISO-8601 in UTC; empty for at once */
    public static final ProcessVariable<String> DEPLOYMENT_WINDOW =
            ProcessVariable.primitive("deploymentWindow", String.class);

    public static final ProcessVariable<Boolean> LIVE_DRIFTED = ProcessVariable.primitive("liveDrifted", Boolean.class);
    public static final ProcessVariable<String> LIVE_DRIFT = ProcessVariable.primitive("liveDrift", String.class);
    public static final ProcessVariable<String> BACKUP_SUMMARY =
            ProcessVariable.primitive("backupSummary", String.class);
    public static final ProcessVariable<String> ROLLBACK_REHEARSAL =
            ProcessVariable.primitive("rollbackRehearsal", String.class);
    public static final ProcessVariable<List<String>> DEPLOYED_CHANGES =
            ProcessVariable.json("deployedChanges", new TypeReference<>() {});
    public static final ProcessVariable<String> SERVED_CODE = ProcessVariable.primitive("servedCode", String.class);
    public static final ProcessVariable<String> DEPLOY_ERROR = ProcessVariable.primitive("deployError", String.class);
    public static final ProcessVariable<String> CACHE_PURGE = ProcessVariable.primitive("cachePurge", String.class);
    public static final ProcessVariable<String> LIVE_VERIFICATION =
            ProcessVariable.primitive("liveVerification", String.class);
    public static final ProcessVariable<Boolean> LIVE_VERIFIED =
            ProcessVariable.primitive("liveVerified", Boolean.class);
    public static final ProcessVariable<String> LIVE_REPORT_URL =
            ProcessVariable.primitive("liveReportUrl", String.class);
    public static final ProcessVariable<LiveWatch.Baseline> LIVE_BASELINE =
            ProcessVariable.json("liveBaseline", new TypeReference<>() {});
    public static final ProcessVariable<Boolean> WATCH_LIVE = ProcessVariable.primitive("watchLive", Boolean.class);
    /** how long live is watched after the push, and how often it is probed: ISO-8601 durations */
    public static final ProcessVariable<String> WATCH_WINDOW = ProcessVariable.primitive("watchWindow", String.class);

    public static final ProcessVariable<String> WATCH_INTERVAL =
            ProcessVariable.primitive("watchInterval", String.class);
    public static final ProcessVariable<String> WATCH_REPORT = ProcessVariable.primitive("watchReport", String.class);
    // 4 sign-off clock (from the site's access.signoff), read by the timers of approval-and-signoff
    public static final ProcessVariable<String> SIGNOFF_REMINDER =
            ProcessVariable.primitive("signoffReminder", String.class);
    public static final ProcessVariable<String> SIGNOFF_ESCALATION =
            ProcessVariable.primitive("signoffEscalation", String.class);
    public static final ProcessVariable<String> SIGNOFF_EXPIRY =
            ProcessVariable.primitive("signoffExpiry", String.class);
    /** What the sign-off clock did: reminders sent, escalations, the expiry. */
    public static final ProcessVariable<String> SIGNOFF_CLOCK = ProcessVariable.primitive("signoffClock", String.class);

    public static final ProcessVariable<Boolean> APPROVAL_EXPIRED =
            ProcessVariable.primitive("approvalExpired", Boolean.class);
    public static final ProcessVariable<String> ROLLBACK_REQUEST =
            ProcessVariable.primitive("rollbackRequest", String.class);
    /** Who asked to restore a release's pre-release backup after it ended, when and why. */
    public static final ProcessVariable<String> RESTORE_REQUEST =
            ProcessVariable.primitive("restoreRequest", String.class);
    // 6 rollback
    public static final ProcessVariable<String> ROLLBACK_REPORT =
            ProcessVariable.primitive("rollbackReport", String.class);
    public static final ProcessVariable<String> RESTORED_LIVE_VERIFICATION =
            ProcessVariable.primitive("restoredLiveVerification", String.class);

    /** Every declared variable: what the models may name and what a release's status may show. */
    public static final List<ProcessVariable<?>> ALL = List.of(
            SITE_ID,
            RELEASE_ID,
            CHANGES,
            QA_PATHS,
            QA_ROUND,
            MAX_QA_ROUNDS,
            LIVE_URL,
            STAGING_URL,
            STATUS_URL,
            CLONE_FILES_REPORT,
            CLONE_DATABASE_REPORT,
            PARITY_REPORT,
            PARITY_INDEX,
            PARITY_SUMMARY,
            PARITY_BLOCKED,
            APPLIED_CHANGES,
            CLONE_CHECK,
            CLONE_CHECK_URL,
            PARITY_DIFFERENCES,
            QA_RESOLVED,
            QA_PASSED,
            QA_VERDICT,
            QA_SUMMARY,
            QA_FINDINGS,
            QA_THUMBNAILS,
            QA_REPORT_URL,
            QA_REPORT_JSON_URL,
            QA_NEEDS_CULPRIT_SEARCH,
            REVISE_REASON,
            REVISION_DECISION,
            REVISED_CHANGES,
            CHANGE_CHOICES,
            DROPPED_CHANGES,
            ADDED_TYPE,
            ADDED_SLUG,
            ADDED_VERSION,
            ADDED_PACKAGE,
            REVISION_ERROR,
            DEVELOPER_DECISION,
            DEVELOPER_COMMENT,
            CLIENT_DECISION,
            CLIENT_COMMENT,
            FROZEN_MANIFEST,
            MANIFEST_SHA256,
            CHANGE_SET_FROZEN,
            CLIENT_SIGNOFF_NEEDED,
            APPROVAL_ROUTE,
            CHANGE_NOTES,
            EXPERIMENT_CHOICES,
            DROPPED_EXPERIMENTS,
            EXPERIMENTS_DROPPED,
            DEPLOYMENT_PLAN,
            PLAN_RISK,
            CONFIRM_PLAN,
            PLAN_DECISION,
            DEPLOYMENT_WINDOW,
            LIVE_DRIFTED,
            LIVE_DRIFT,
            BACKUP_SUMMARY,
            ROLLBACK_REHEARSAL,
            DEPLOYED_CHANGES,
            SERVED_CODE,
            DEPLOY_ERROR,
            CACHE_PURGE,
            LIVE_VERIFICATION,
            LIVE_VERIFIED,
            LIVE_REPORT_URL,
            LIVE_BASELINE,
            WATCH_LIVE,
            WATCH_WINDOW,
            WATCH_INTERVAL,
            WATCH_REPORT,
            SIGNOFF_REMINDER,
            SIGNOFF_ESCALATION,
            SIGNOFF_EXPIRY,
            SIGNOFF_CLOCK,
            APPROVAL_EXPIRED,
            ROLLBACK_REQUEST,
            RESTORE_REQUEST,
            ROLLBACK_REPORT,
            RESTORED_LIVE_VERIFICATION);

    /** The revision the revise form's fields describe. */
    public static ChangeSetRevision revision(org.camunda.bpm.engine.delegate.VariableScope scope) {
        return new ChangeSetRevision(
                DROPPED_CHANGES.from(scope),
                new ChangeSetRevision.Added(
                        ADDED_TYPE.from(scope),
                        ADDED_SLUG.from(scope),
                        ADDED_VERSION.from(scope),
                        ADDED_PACKAGE.from(scope)));
    }

    /** The revise form's fields for {@code changes}: every change offered for dropping, none ticked, nothing added. */
    public static void prepareRevision(org.camunda.bpm.engine.delegate.VariableScope scope, List<Change> changes) {
        CHANGE_CHOICES.set(scope, ChangeSetRevision.choices(changes));
        DROPPED_CHANGES.set(scope, List.of());
        for (ProcessVariable<String> field : List.of(ADDED_TYPE, ADDED_SLUG, ADDED_VERSION, ADDED_PACKAGE))
            field.set(scope, null);
    }

    private final SiteRegistry sites;
    private final ReleaseRecords releases;

    public ReleaseVariables(SiteRegistry sites, ReleaseRecords releases) {
        this.sites = sites;
        this.releases = releases;
    }

    public static boolean isDeclared(String name) {
        return ALL.stream().anyMatch(v -> v.name().equals(name));
    }

    public String releaseId(DelegateExecution execution) {
        return execution.getProcessBusinessKey();
    }

    /** The release whose pre-deploy backup this process restores: its own, or for a restore after the release, the restored one's. */
    public String backupOf(DelegateExecution execution) {
        return releases.backupOf(releaseId(execution));
    }

    /** The release's site as recorded when it started; the {@code siteId} variable only shows it. */
    public Site site(DelegateExecution execution) {
        return sites.get(releases.get(releaseId(execution)).siteId());
    }

    /** The QA round as Stageguard counts it; the {@code qaRound} variable only shows it. */
    public int round(DelegateExecution execution) {
        return releases.get(releaseId(execution)).qaRound();
    }

    /**
     * The release a step works for, read once: its id (the business key), its site and its QA round
     * as Stageguard recorded them, never as a variable a task could have written.
     */
    public record ReleaseContext(String id, Site site, int round) {}

    /** The step's release, its site and round resolved once (a delegate asks at its start, not per value). */
    public ReleaseContext context(DelegateExecution execution) {
        String id = releaseId(execution);
        ReleaseRecords.Release release = releases.get(id);
        return new ReleaseContext(id, sites.get(release.siteId()), release.qaRound());
    }
}
