package io.stageguard.process.updates;

import static io.stageguard.process.engine.ReleaseVariables.*;

import io.stageguard.clone.StagingSnapshot;
import io.stageguard.process.engine.ReleaseVariables;
import io.stageguard.process.engine.ReleaseVariables.ReleaseContext;
import io.stageguard.push.LiveDrift;
import io.stageguard.qa.QaReport;
import io.stageguard.qa.StagingReference;
import io.stageguard.site.Site;
import io.stageguard.update.Change;
import io.stageguard.update.ChangeSetApplier;
import java.util.List;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Phase 2, test updates and changes on staging ({@code test-updates.bpmn}): staging looked at before the changes, then the changes applied. */
@Configuration(proxyBeanMethods = false)
class TestUpdatesDelegates {

    @Bean
    JavaDelegate applyChangeSetDelegate(ReleaseVariables vars, ChangeSetApplier applier, LiveDrift drift) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            Site site = release.site();
            List<Change> changes = CHANGES.from(execution);
            // staging was just cloned from live: what live is now is what this release is tested against
            drift.recordBaseline(release.id(), site.live(), changes);
            APPLIED_CHANGES.set(execution, applier.apply(release.id(), release.round(), site, changes));
        };
    }

    /**
     * Staging right after the clone, before the changes: its snapshot, the pages QA will look at,
     * how staging shows them (what the round is judged against), and the clone check against live.
     */
    @Bean
    JavaDelegate captureStagingBeforeDelegate(
            ReleaseVariables vars, StagingReference references, StagingSnapshot snapshots) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            // the state the reference shows, which the culprit search puts staging back to between its trials
            snapshots.take(release.site(), release.id(), release.round());
            QaReport check =
                    references.capture(release.id(), release.round(), release.site(), QA_PATHS.from(execution));
            CLONE_CHECK.set(execution, check.reasons().get(0));
            CLONE_CHECK_URL.set(execution, check.htmlUrl());
        };
    }
}
