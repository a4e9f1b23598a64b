package io.stageguard;

import io.stageguard.signoff.ChangeSetFreezer;
import io.stageguard.signoff.FrozenManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Applies {@link DataRetention} to the data folder every hour, sparing what running releases use. */
@Component
class DataRetentionJob {
    private static final Logger LOG = LoggerFactory.getLogger(DataRetentionJob.class);
    private final StageguardProperties app;
    private final DataRetention.Rules rules;
    private final RuntimeService runtime;
    private final JdbcTemplate jdbc;
    private final ChangeSetFreezer freezer;

    DataRetentionJob(
            StageguardProperties app,
            DataRetention.Rules rules,
            RuntimeService runtime,
            JdbcTemplate jdbc,
            ChangeSetFreezer freezer) {
        this.app = app;
        this.rules = rules;
        this.runtime = runtime;
        this.jdbc = jdbc;
        this.freezer = freezer;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT10M")
    DataRetention.Removed sweep() throws IOException {
        Set<String> running = new HashSet<>();
        // suspended instances (an operator's pause) included: they go on later
        for (ProcessInstance instance : runtime.createProcessInstanceQuery().list()) {
            if (instance.getBusinessKey() != null) running.add(instance.getBusinessKey());
        }
        Set<Path> inUse = new HashSet<>();
        for (String releaseId : running) {
            jdbc.queryForList(
                            "select package_path from sg_applied_change where release_id = ?", String.class, releaseId)
                    .forEach(p -> inUse.add(Path.of(p).toAbsolutePath().normalize()));
            try {
                for (FrozenManifest.Entry entry : freezer.load(releaseId).entries()) {
                    if (entry.packagePath() != null)
                        inUse.add(Path.of(entry.packagePath()).toAbsolutePath().normalize());
                }
            } catch (IllegalStateException notFrozenYet) {
                // before sign-off there is no frozen package to keep
            }
        }
        DataRetention.Removed removed =
                DataRetention.sweep(app.dataDir(), rules, Instant.now(), running::contains, inUse);
        if (!removed.paths().isEmpty()) {
            LOG.info(
                    "Data retention removed {} item(s) ({} MB) from {}: {}",
                    removed.paths().size(),
                    removed.bytes() / 1_000_000,
                    app.dataDir(),
                    removed.paths());
        }
        return removed;
    }
}
