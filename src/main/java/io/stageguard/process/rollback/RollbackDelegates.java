package io.stageguard.process.rollback;

import static io.stageguard.process.engine.ReleaseVariables.*;

import io.stageguard.metrics.ReleaseMetrics;
import io.stageguard.process.engine.ReleaseVariables;
import io.stageguard.process.engine.ReleaseVariables.ReleaseContext;
import io.stageguard.rollback.LiveBackup;
import io.stageguard.signoff.ChangeSetFreezer;
import io.stageguard.site.Site;
import io.stageguard.update.Change;
import io.stageguard.update.ServedCodeRefresher;
import io.stageguard.wordpress.SiteHealthCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Phase 6, rollback ({@code rollback.bpmn}): live put back from the pre-deploy backup and checked; the caches are purged by phase 5's delegate. */
@Configuration(proxyBeanMethods = false)
class RollbackDelegates {

    /** The restored files are only back once the serving PHP has dropped what it compiled from the released ones. */
    @Bean
    JavaDelegate restoreBackupDelegate(
            ReleaseVariables vars,
            LiveBackup backup,
            ChangeSetFreezer freezer,
            ServedCodeRefresher served,
            ReleaseMetrics metrics) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            String releaseId = vars.backupOf(execution);
            Site site = release.site();
            long started = System.nanoTime();
            List<String> report = new ArrayList<>(backup.restore(releaseId, site));
            List<Change> released = freezer.load(releaseId).changes();
            ServedCodeRefresher.Refresh refresh = served.refresh(site.live(), released);
            List<String> stale = refresh.stale();
            if (!stale.isEmpty())
                throw new IllegalStateException("The restored files are not what live serves: still cached " + stale);
            report.add(refresh.summary());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            report.add(String.format(java.util.Locale.ROOT, "restored in %.1f s", took.toMillis() / 1000.0));
            metrics.rollback(site.id(), took);
            ROLLBACK_REPORT.set(execution, String.join("\n", report));
        };
    }

    /** Live still broken after the restore needs a person now: an incident that says so. */
    @Bean
    JavaDelegate verifyRestoredLiveDelegate(ReleaseVariables vars, SiteHealthCheck health) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            SiteHealthCheck.Health result = health.check(release.site().live(), QA_PATHS.from(execution));
            RESTORED_LIVE_VERIFICATION.set(execution, result.summary());
            if (!result.healthy()) {
                throw new IllegalStateException(
                        "Live still fails after restoring the pre-deploy backup: " + result.summary());
            }
        };
    }
}
