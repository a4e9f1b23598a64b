package io.stageguard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Stageguard's data folder holds live database dumps, reports with pages of staging, and (by
 * default) its own database: it is made readable by Stageguard's own user only (0700), also when it
 * already exists, so nothing below it is readable by other users of the machine whatever their
 * own permissions.
 */
@Component
class DataFolder {
    private final StageguardProperties properties;

    DataFolder(StageguardProperties properties) {
        this.properties = properties;
    }

    @EventListener(ApplicationStartedEvent.class)
    void makePrivate() throws IOException {
        for (Path dir : new Path[] {properties.dataDir(), properties.backupsDir(), properties.reportsDir()}) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
