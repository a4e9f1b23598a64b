package io.stageguard.clone;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param blocking parity items whose mismatch stops a release after the clone: by default a different
 *                 PHP minor version or WordPress version, where "works on staging" says little about live.
 *                 Item names are those of the parity report (php.ini.memory_limit, database.server, ...).
 */
@ConfigurationProperties("stageguard.parity")
public record ParityProperties(List<String> blocking) {
    public ParityProperties {
        if (blocking == null) blocking = List.of("php.minorVersion", "wordpress.version");
    }
}
