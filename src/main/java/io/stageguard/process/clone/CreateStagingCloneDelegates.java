package io.stageguard.process.clone;

import static io.stageguard.process.engine.ReleaseVariables.*;

import io.stageguard.clone.ParityCheck;
import io.stageguard.clone.ParityReport;
import io.stageguard.clone.StagingAccess;
import io.stageguard.clone.StagingCloner;
import io.stageguard.clone.StagingState;
import io.stageguard.clone.StagingVerifier;
import io.stageguard.metrics.ReleaseMetrics;
import io.stageguard.process.engine.ReleaseVariables;
import io.stageguard.process.engine.ReleaseVariables.ReleaseContext;
import io.stageguard.site.Site;
import java.util.List;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Phase 1, create the staging clone ({@code create-staging-clone.bpmn}): files, database, the staging check and the parity report. */
@Configuration(proxyBeanMethods = false)
class CreateStagingCloneDelegates {

    @Bean
    JavaDelegate cloneFilesDelegate(ReleaseVariables vars, StagingCloner cloner, StagingAccess access) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            Site site = release.site();
            CLONE_FILES_REPORT.set(execution, cloner.cloneFiles(site, access.tokenSha256(site.id())));
        };
    }

    @Bean
    JavaDelegate cloneDatabaseDelegate(ReleaseVariables vars, StagingCloner cloner) {
        return execution -> CLONE_DATABASE_REPORT.set(execution, cloner.cloneDatabase(vars.site(execution)));
    }

    /** An unusable or public staging site is an environment problem for an operator: it becomes an incident after the retries. */
    @Bean
    JavaDelegate verifyStagingDelegate(
            ReleaseVariables vars, StagingVerifier verifier, StagingAccess access, StagingState state) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            Site site = release.site();
            List<String> problems = verifier.verify(site, QA_PATHS.from(execution), access.headers(site.id()));
            if (!problems.isEmpty()) {
                throw new IllegalStateException(
                        "Staging is not a working, private copy of live: " + String.join("; ", problems));
            }
            // a clone on its own (a staging refresh) has no release under test
            if (execution.getProcessInstance().getSuperExecution() == null) state.fresh(site, release.id());
            else state.underTest(site, release.id());
        };
    }

    /** A blocking mismatch is a business outcome (the release cannot be tested meaningfully), routed by a gateway. */
    @Bean
    JavaDelegate checkParityDelegate(
            ReleaseVariables vars, ParityCheck parity, StagingAccess access, ReleaseMetrics metrics) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            Site site = release.site();
            ParityReport report = parity.check(site, access.headers(site.id()));
            PARITY_REPORT.set(execution, report.items());
            PARITY_DIFFERENCES.set(
                    execution,
                    report.items().stream().filter(ParityReport.Item::differs).toList());
            PARITY_INDEX.set(execution, report.parityIndex());
            PARITY_SUMMARY.set(execution, report.summary());
            PARITY_BLOCKED.set(execution, report.blocked());
            metrics.parity(site.id(), report.parityIndex());
        };
    }
}
