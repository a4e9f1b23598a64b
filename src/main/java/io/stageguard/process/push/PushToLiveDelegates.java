package io.stageguard.process.push;

import static io.stageguard.process.engine.ReleaseVariables.*;

import io.stageguard.clone.StagingCloner;
import io.stageguard.clone.StagingState;
import io.stageguard.process.engine.ReleaseModel;
import io.stageguard.process.engine.ReleaseVariables;
import io.stageguard.process.engine.ReleaseVariables.ReleaseContext;
import io.stageguard.push.CachePurger;
import io.stageguard.push.DeployProperties;
import io.stageguard.push.DeploymentPlan;
import io.stageguard.push.DeploymentPlanner;
import io.stageguard.push.LiveBrokeException;
import io.stageguard.push.LiveDeployer;
import io.stageguard.push.LiveDrift;
import io.stageguard.push.LiveWatch;
import io.stageguard.push.ManifestMismatchException;
import io.stageguard.push.RollbackRehearsal;
import io.stageguard.qa.LiveVerification;
import io.stageguard.qa.QaReport;
import io.stageguard.qa.QaVerdict;
import io.stageguard.rollback.LiveBackup;
import io.stageguard.signoff.ChangeSetFreezer;
import io.stageguard.signoff.FrozenManifest;
import io.stageguard.site.Site;
import io.stageguard.update.Change;
import io.stageguard.update.ChangeFootprint;
import io.stageguard.wordpress.SiteHealthCheck;
import java.io.IOException;
import java.util.List;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Phase 5, push to live ({@code push-to-live.bpmn}): plan, drift check, backup, rehearsal, deploy, cache purge, verification and the watch. */
@Configuration(proxyBeanMethods = false)
class PushToLiveDelegates {

    /**
     * The plan the push follows, from the frozen manifest and staging's timings; also where a push
     * whose packages are gone is refused, before anything else. Sets what the confirmation decision
     * and the watch read.
     */
    @Bean
    JavaDelegate prepareDeploymentPlanDelegate(
            ReleaseVariables vars,
            LiveDeployer deployer,
            DeploymentPlanner planner,
            HistoryService history,
            DeployProperties deploy) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            String releaseId = release.id();
            Site site = release.site();
            FrozenManifest manifest = checkedBeforeAnyWrite(deployer, releaseId, site);
            StagingCloner.FileReport files = CLONE_FILES_REPORT.from(execution);
            StagingCloner.DatabaseReport database = CLONE_DATABASE_REPORT.from(execution);
            DeploymentPlanner.StagingTimings timings = new DeploymentPlanner.StagingTimings(
                    files == null ? 0 : files.millis(),
                    files == null ? 0 : files.bytes(),
                    database == null ? 0 : database.millis(),
                    lastApplyMillis(history, releaseId));
            DeploymentPlan plan = planner.plan(releaseId, site, manifest, QA_PATHS.from(execution), timings);
            planner.record(plan);
            DEPLOYMENT_PLAN.set(execution, plan);
            PLAN_RISK.set(execution, plan.risk().label());
            PLAN_DECISION.set(execution, null);
            DEPLOYMENT_WINDOW.set(execution, null);
            WATCH_LIVE.set(execution, !deploy.watchWindow().isZero());
            WATCH_WINDOW.set(execution, deploy.watchWindow().toString());
            WATCH_INTERVAL.set(execution, deploy.watchInterval().toString());
        };
    }

    /** The manifest with every package present and unaltered; otherwise an incident that says nothing was written. */
    private static FrozenManifest checkedBeforeAnyWrite(LiveDeployer deployer, String releaseId, Site site)
            throws IOException {
        try {
            return deployer.checkedManifest(releaseId, site);
        } catch (ManifestMismatchException e) {
            throw new IllegalStateException("Nothing was written to live: " + e.getMessage());
        }
    }

    /** How long staging took to receive this release's changes the last time (its newest QA round). */
    private static long lastApplyMillis(HistoryService history, String releaseId) {
        return history
                .createHistoricProcessInstanceQuery()
                .processInstanceBusinessKey(releaseId)
                .processDefinitionKey(ReleaseModel.TEST_UPDATES)
                .finished()
                .orderByProcessInstanceEndTime()
                .desc()
                .listPage(0, 1)
                .stream()
                .flatMap(p -> history
                        .createHistoricActivityInstanceQuery()
                        .processInstanceId(p.getId())
                        .activityId(ReleaseModel.TASK_APPLY_CHANGE_SET)
                        .finished()
                        .list()
                        .stream())
                .mapToLong(a -> a.getDurationInMillis() == null ? 0 : a.getDurationInMillis())
                .max()
                .orElse(0);
    }

    /** One health probe in the watch window: a failure ends the watch and the release rolls back. */
    @Bean
    JavaDelegate probeLiveDelegate(ReleaseVariables vars, LiveWatch watch) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            LiveWatch.Probe probe =
                    watch.probe(release.site().live(), QA_PATHS.from(execution), LIVE_BASELINE.from(execution));
            WATCH_REPORT.set(execution, probe.summary());
            if (!probe.healthy()) {
                LIVE_VERIFIED.set(execution, false);
                throw new BpmnError(
                        "LIVE_UNHEALTHY",
                        "Live failed a probe while watched, so it is rolled back: " + probe.summary());
            }
        };
    }

    /**
     * Live changed since the release was tested (a plugin auto-updated, a file edited): a business
     * outcome, not a failure; the release goes back to be tested on a fresh clone, and nothing on
     * live has been written.
     */
    @Bean
    JavaDelegate checkLiveDriftDelegate(
            ReleaseVariables vars, ChangeSetFreezer freezer, LiveDrift drift, StagingState state) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            String releaseId = release.id();
            List<Change> changes = freezer.load(releaseId).changes();
            List<String> changed = drift.since(
                    releaseId,
                    release.site().live(),
                    ChangeFootprint.paths(release.site().live().documentRoot(), changes));
            LIVE_DRIFTED.set(execution, !changed.isEmpty());
            if (!changed.isEmpty()) {
                state.stale(release.site(), releaseId);
                throw new BpmnError(
                        "LIVE_DRIFTED",
                        "Live changed since the release was tested, so it is tested again on a fresh clone: "
                                + String.join("; ", changed));
            }
        };
    }

    /** A push that could not complete (a package gone or altered) is refused before the backup: an incident that names the package. */
    @Bean
    JavaDelegate backupLiveDelegate(ReleaseVariables vars, LiveDeployer deployer, LiveBackup backup) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            String releaseId = release.id();
            FrozenManifest manifest = checkedBeforeAnyWrite(deployer, releaseId, release.site());
            List<String> touched = ChangeFootprint.paths(release.site().live().documentRoot(), manifest.changes());
            LiveBackup.Summary summary = backup.create(releaseId, release.site(), touched);
            BACKUP_SUMMARY.set(
                    execution,
                    summary.folders() + " folder(s) and " + summary.tables() + " table(s) in " + summary.directory());
        };
    }

    /** A backup that does not verify stops the release before live is touched: an incident, not a path around it. */
    @Bean
    JavaDelegate verifyBackupDelegate(ReleaseVariables vars, LiveBackup backup) {
        return execution -> {
            List<String> problems = backup.verify(vars.releaseId(execution));
            if (!problems.isEmpty()) {
                throw new IllegalStateException(
                        "The pre-deploy backup failed verification: " + String.join("; ", problems));
            }
        };
    }

    /** A backup that would not restore identically stops the push before the first write: an incident that says what differs. */
    @Bean
    JavaDelegate rehearseRollbackDelegate(
            ReleaseVariables vars, RollbackRehearsal rehearsal, DeploymentPlanner planner) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            RollbackRehearsal.Result result = rehearsal.rehearse(release.id(), release.site());
            ROLLBACK_REHEARSAL.set(execution, result.summary());
            if (!result.problems().isEmpty()) {
                throw new IllegalStateException(
                        "Nothing was written to live: the rollback rehearsal found that " + result.summary());
            }
            // the plan shows the rollback time measured now rather than the estimate it was confirmed with
            DeploymentPlan plan = DEPLOYMENT_PLAN.from(execution).withRehearsedRollback(result.restoreMillis());
            planner.record(plan);
            DEPLOYMENT_PLAN.set(execution, plan);
        };
    }

    @Bean
    JavaDelegate deployFrozenChangesDelegate(ReleaseVariables vars, LiveDeployer deployer) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            LIVE_VERIFIED.set(execution, false);
            try {
                LiveDeployer.Deployment deployment =
                        deployer.deploy(release.id(), release.site(), QA_PATHS.from(execution));
                DEPLOYED_CHANGES.set(execution, deployment.installed());
                SERVED_CODE.set(execution, deployment.servedCode());
            } catch (LiveBrokeException e) {
                // visitors see the break now: the rollback starts before the caches are purged or a browser looks
                LIVE_VERIFICATION.set(
                        execution,
                        e.health().summary()
                                + "\nLive failed the plain check right after the swap; rolled back at once");
                throw new BpmnError("DEPLOY_FAILED", "Deploy to live failed: " + e.getMessage());
            } catch (ManifestMismatchException | IOException e) {
                throw new BpmnError("DEPLOY_FAILED", "Deploy to live failed: " + e.getMessage());
            }
        };
    }

    @Bean
    JavaDelegate purgeCachesDelegate(ReleaseVariables vars, CachePurger purger) {
        return execution -> CACHE_PURGE.set(
                execution, String.join("; ", purger.purge(vars.site(execution), QA_PATHS.from(execution))));
    }

    /** Live right before the first write, as the verification after the push will compare it. Reads live only. */
    @Bean
    JavaDelegate captureLiveBaselineDelegate(ReleaseVariables vars, LiveVerification verification) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            verification.baseline(release.id(), release.site(), QA_PATHS.from(execution));
        };
    }

    /**
     * Live after the push, checked like QA checked staging and judged by the quality gate against
     * the look before the push; a passing live also gives the watch its baseline.
     */
    @Bean
    JavaDelegate verifyLiveDelegate(
            ReleaseVariables vars,
            SiteHealthCheck health,
            LiveVerification verification,
            LiveWatch watch,
            ChangeSetFreezer freezer,
            StagingState state) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            String releaseId = release.id();
            Site site = release.site();
            List<String> pages = QA_PATHS.from(execution);
            SiteHealthCheck.Health result = health.check(site.live(), pages);
            FrozenManifest manifest = freezer.load(releaseId);
            QaReport report = verification.verify(releaseId, site, pages, manifest.changes(), manifest.qaRound());
            boolean verified = result.healthy() && report.verdict() != QaVerdict.FAIL;
            LIVE_VERIFICATION.set(
                    execution,
                    result.summary() + "\n" + report.verdict().label()
                            + (report.reasons().isEmpty() ? "" : ": " + String.join("; ", report.reasons())) + "\n"
                            + report.findings().stream()
                                    .map(f -> f.where() + ": " + f.message())
                                    .toList());
            LIVE_REPORT_URL.set(execution, report.htmlUrl());
            LIVE_VERIFIED.set(execution, verified);
            if (verified) {
                LIVE_BASELINE.set(execution, watch.baseline(site.live(), pages));
                state.released(site, releaseId);
            }
        };
    }
}
