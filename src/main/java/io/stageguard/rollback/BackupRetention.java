package io.stageguard.rollback;

import io.stageguard.release.RunningReleases;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Backups hold a copy of live's database: kept for {@code stageguard.backups.retention} (default
 * 30 days) after they were taken, then their files are removed (hourly); the record stays and
 * says when. The backup of a release still running is never removed.
 */
@Component
public class BackupRetention {
    private static final Logger LOG = LoggerFactory.getLogger(BackupRetention.class);
    private final LiveBackup backups;
    private final RunningReleases running;
    private final BackupProperties properties;

    public BackupRetention(LiveBackup backups, RunningReleases running, BackupProperties properties) {
        this.backups = backups;
        this.running = running;
        this.properties = properties;
    }

    /**
     * @param retention     how long a backup's files are kept after it was taken (default 30 days)
     * @param restorableFor how long after its push a release can still be restored from its backup (default 14 days)
     */
    @ConfigurationProperties("stageguard.backups")
    public record BackupProperties(Duration retention, Duration restorableFor) {
        public BackupProperties {
            if (retention == null) retention = Duration.ofDays(30);
            if (restorableFor == null) restorableFor = Duration.ofDays(14);
        }
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    public void removeExpired() throws IOException {
        removeTakenBefore(Instant.now().minus(properties.retention()));
    }

    /** @return the releases whose backup files were removed */
    public List<String> removeTakenBefore(Instant cutoff) throws IOException {
        List<String> removed = backups.removeExpired(cutoff, running::isRunning);
        if (!removed.isEmpty())
            LOG.info(
                    "Removed the backup files of {} (older than the retention of {})", removed, properties.retention());
        return removed;
    }
}
