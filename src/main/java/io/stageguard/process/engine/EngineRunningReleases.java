package io.stageguard.process.engine;

import io.stageguard.release.RunningReleases;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Component;

/** A release runs while its staging-release instance does. */
@Component
class EngineRunningReleases implements RunningReleases {
    private final RuntimeService runtime;

    EngineRunningReleases(RuntimeService runtime) {
        this.runtime = runtime;
    }

    @Override
    public boolean isRunning(String releaseId) {
        return runtime.createProcessInstanceQuery()
                        .processInstanceBusinessKey(releaseId)
                        .processDefinitionKey(ReleaseModel.STAGING_RELEASE)
                        .count()
                > 0;
    }
}
