package io.stageguard.clone;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param exclude paths relative to the document root that are never copied to staging: caches
 *                and backups are large, stale, and not part of what a release changes
 */
@ConfigurationProperties("stageguard.clone")
public record CloneProperties(List<String> exclude) {
    public CloneProperties {
        if (exclude == null) {
            exclude = List.of(".git", "wp-content/cache", "wp-content/upgrade", "wp-content/backups",
                    "wp-content/updraft", "wp-content/ai1wm-backups", "wp-content/debug.log");
        }
    }
}
