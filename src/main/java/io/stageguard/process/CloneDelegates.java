package io.stageguard.process;

import io.stageguard.clone.StagingCloner;
import io.stageguard.clone.StagingVerifier;
import java.util.List;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Phase 1 service tasks. */
@Configuration(proxyBeanMethods = false)
class CloneDelegates {

    @Bean
    JavaDelegate cloneFilesDelegate(ReleaseVariables vars, StagingCloner cloner) {
        return execution -> execution.setVariable("cloneFilesReport", cloner.cloneFiles(vars.site(execution)).summary());
    }

    @Bean
    JavaDelegate cloneDatabaseDelegate(ReleaseVariables vars, StagingCloner cloner) {
        return execution -> execution.setVariable("cloneDatabaseReport", cloner.cloneDatabase(vars.site(execution)).summary());
    }

    /** An unusable staging site is an environment problem for an operator: it becomes an incident after the retries. */
    @Bean
    JavaDelegate verifyStagingDelegate(ReleaseVariables vars, StagingVerifier verifier) {
        return execution -> {
            List<String> problems = verifier.verify(vars.site(execution), vars.qaPaths(execution));
            if (!problems.isEmpty()) {
                throw new IllegalStateException("Staging is not a working copy of live: " + String.join("; ", problems));
            }
        };
    }
}
