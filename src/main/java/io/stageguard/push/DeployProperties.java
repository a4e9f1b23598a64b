package io.stageguard.push;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How a push is watched afterwards.
 *
 * @param watchWindow   how long live is watched after a successful push; a failed probe or a
 *                      rollback request in that time rolls back. 0 turns the watch off
 * @param watchInterval time between two probes
 */
@ConfigurationProperties("stageguard.deploy")
public record DeployProperties(Duration watchWindow, Duration watchInterval) {
    public DeployProperties {
        if (watchWindow == null) watchWindow = Duration.ofMinutes(15);
        if (watchInterval == null) watchInterval = Duration.ofMinutes(1);
        if (watchWindow.isNegative())
            throw new IllegalArgumentException("stageguard.deploy.watch-window must not be negative");
        if (watchInterval.isZero() || watchInterval.isNegative())
            throw new IllegalArgumentException("stageguard.deploy.watch-interval must be positive");
    }
}
