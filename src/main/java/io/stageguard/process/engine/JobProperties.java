package io.stageguard.process.engine;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param longRunningAfter when a step still working is shown to operators as long-running (in the
 *                         release's status and the log): a QA round takes minutes, a culprit search
 *                         longer; a step past this may hang, and its job keeps its lock while it does
 */
@ConfigurationProperties("stageguard.jobs")
public record JobProperties(Duration longRunningAfter) {
    public JobProperties {
        if (longRunningAfter == null) longRunningAfter = Duration.ofMinutes(30);
    }
}
