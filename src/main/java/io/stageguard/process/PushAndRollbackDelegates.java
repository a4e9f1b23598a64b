package io.stageguard.process;

import static io.stageguard.process.ReleaseVariables.*;

import io.stageguard.backup.LiveBackup;
import io.stageguard.deploy.CachePurger;
import io.stageguard.deploy.ChangeSetFreezer;
import io.stageguard.deploy.FrozenManifest;
import io.stageguard.deploy.ServedCodeRefresher;
import io.stageguard.site.Site;
import io.stageguard.update.Change;
import io.stageguard.deploy.LiveDeployer;
import io.stageguard.deploy.LiveDrift;
import io.stageguard.deploy.ManifestMismatchException;
import io.stageguard.site.SiteHealthCheck;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Phase 5 and 6 service tasks. */
@Configuration(proxyBeanMethods = false)
class PushAndRollbackDelegates {

    /**
     * Live changed since the release was tested (a plugin auto-updated, a file edited): a business
     * outcome, not a failure; the release goes back to be tested on a fresh clone, and nothing on
     * live has been written.
     */
    @Bean
    JavaDelegate checkLiveDriftDelegate(ReleaseVariables vars, ChangeSetFreezer freezer, LiveDrift drift) {
        return execution -> {
            String releaseId = vars.releaseId(execution);
            List<String> touched = freezer.load(releaseId).entries().stream().map(e -> e.change().targetFolder()).toList();
            List<String> changed = drift.since(releaseId, vars.site(execution).live(), touched);
            LIVE_DRIFTED.set(execution, !changed.isEmpty());
            if (!changed.isEmpty()) {
                throw new BpmnError("LIVE_DRIFTED", "Live changed since the release was tested, so it is tested again on a fresh clone: "
                        + String.join("; ", changed));
            }
        };
    }

    @Bean
    JavaDelegate backupLiveDelegate(ReleaseVariables vars, ChangeSetFreezer freezer, LiveBackup backup) {
        return execution -> {
            String releaseId = vars.releaseId(execution);
            List<String> touched = freezer.load(releaseId).entries().stream().map(e -> e.change().targetFolder()).toList();
            LiveBackup.Summary summary = backup.create(releaseId, vars.site(execution), touched);
            BACKUP_SUMMARY.set(execution, summary.folders() + " folder(s) and " + summary.tables()
                    + " table(s) in " + summary.directory());
        };
    }

    /** A backup that does not verify stops the release before live is touched: an incident, not a path around it. */
    @Bean
    JavaDelegate verifyBackupDelegate(ReleaseVariables vars, LiveBackup backup) {
        return execution -> {
            List<String> problems = backup.verify(vars.releaseId(execution));
            if (!problems.isEmpty()) {
                throw new IllegalStateException("The pre-deploy backup failed verification: " + String.join("; ", problems));
            }
        };
    }

    @Bean
    JavaDelegate deployFrozenChangesDelegate(ReleaseVariables vars, LiveDeployer deployer) {
        return execution -> {
            LIVE_VERIFIED.set(execution, false);
            try {
                LiveDeployer.Deployment deployment = deployer.deploy(vars.releaseId(execution), vars.site(execution));
                DEPLOYED_CHANGES.set(execution, deployment.installed());
                SERVED_CODE.set(execution, deployment.servedCode());
            } catch (ManifestMismatchException | IOException e) {
                throw new BpmnError("DEPLOY_FAILED", "Deploy to live failed: " + e.getMessage());
            }
        };
    }

    @Bean
    JavaDelegate purgeCachesDelegate(ReleaseVariables vars, CachePurger purger) {
        return execution -> CACHE_PURGE.set(execution, String.join("; ", purger.purge(vars.site(execution), QA_PATHS.from(execution))));
    }

    @Bean
    JavaDelegate verifyLiveDelegate(ReleaseVariables vars, SiteHealthCheck health) {
        return execution -> {
            SiteHealthCheck.Health result = health.check(vars.site(execution).live(), QA_PATHS.from(execution));
            LIVE_VERIFICATION.set(execution, result.summary());
            LIVE_VERIFIED.set(execution, result.healthy());
        };
    }

    /** The restored files are only back once the serving PHP has dropped what it compiled from the released ones. */
    @Bean
    JavaDelegate restoreBackupDelegate(ReleaseVariables vars, LiveBackup backup, ChangeSetFreezer freezer, ServedCodeRefresher served) {
        return execution -> {
            String releaseId = vars.releaseId(execution);
            Site site = vars.site(execution);
            List<String> report = new ArrayList<>(backup.restore(releaseId, site));
            List<Change> released = freezer.load(releaseId).entries().stream().map(FrozenManifest.Entry::change).toList();
            ServedCodeRefresher.Refresh refresh = served.refresh(site.live(), released);
            List<String> stale = refresh.stale();
            if (!stale.isEmpty()) throw new IllegalStateException("The restored files are not what live serves: still cached " + stale);
            report.add(refresh.summary());
            ROLLBACK_REPORT.set(execution, String.join("; ", report));
        };
    }

    /** Live still broken after the restore needs a person now: an incident that says so. */
    @Bean
    JavaDelegate verifyRestoredLiveDelegate(ReleaseVariables vars, SiteHealthCheck health) {
        return execution -> {
            SiteHealthCheck.Health result = health.check(vars.site(execution).live(), QA_PATHS.from(execution));
            RESTORED_LIVE_VERIFICATION.set(execution, result.summary());
            if (!result.healthy()) {
                throw new IllegalStateException("Live still fails after restoring the pre-deploy backup: " + result.summary());
            }
        };
    }
}
