package io.stageguard;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where Stageguard keeps what it produces: reports, backups, frozen manifests.
 *
 * @param dataDir   root folder for reports and backups; kept across restarts like the H2 file
 * @param publicUrl how approvers reach this application; used for links in forms and API answers
 */
@ConfigurationProperties("stageguard")
public record StageguardProperties(Path dataDir, String publicUrl) {
    public StageguardProperties {
        if (dataDir == null) dataDir = Path.of("stageguard-data");
        dataDir = dataDir.toAbsolutePath().normalize();
        if (publicUrl == null || publicUrl.isBlank()) publicUrl = "http://localhost:8080";
        publicUrl = publicUrl.replaceAll("/+$", "");
    }

    public Path reportsDir() {
        return dataDir.resolve("reports");
    }

    /**
     * A release's report folder. QA empties folders below it, so a release id that could lead
     * anywhere else (a separator, "..") is refused rather than resolved; Stageguard's own ids
     * ({@code rel-} and hex) always pass.
     */
    public Path releaseReportsDir(String releaseId) {
        if (releaseId == null || !releaseId.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}") || releaseId.contains("..")) {
            throw new IllegalArgumentException("not a release id for a report folder: " + releaseId);
        }
        Path dir = reportsDir().resolve(releaseId).normalize();
        if (!dir.getParent().equals(reportsDir()))
            throw new IllegalArgumentException("not a release id for a report folder: " + releaseId);
        return dir;
    }

    /** The report folder of one QA round of a release. */
    public Path roundReportsDir(String releaseId, int round) {
        return releaseReportsDir(releaseId).resolve("round-" + round);
    }

    public Path backupsDir() {
        return dataDir.resolve("backups");
    }
}
