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

    public Path reportsDir() { return dataDir.resolve("reports"); }

    public Path backupsDir() { return dataDir.resolve("backups"); }
}
