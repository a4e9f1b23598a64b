package io.stageguard.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeploymentWindowTest {
    private static final Instant NOW = Instant.parse("2026-11-26T20:00:00Z");

    @Test
    void aWindowIsWrittenBackInUtcAndEmptyMeansAtOnce() {
        assertThat(DeploymentWindow.normalize("2026-11-27T02:00+01:00", NOW)).isEqualTo("2026-11-27T01:00:00Z");
        assertThat(DeploymentWindow.normalize(" 2026-11-27T01:00:00Z ", NOW)).isEqualTo("2026-11-27T01:00:00Z");
        assertThat(DeploymentWindow.normalize("", NOW)).isEmpty();
        assertThat(DeploymentWindow.normalize(null, NOW)).isEmpty();
    }

    @Test
    void aWindowInThePastTooFarAheadOrUnreadableIsRefusedWithTheReason() {
        assertThatThrownBy(() -> DeploymentWindow.normalize("2026-11-26T19:00Z", NOW))
                .hasMessageContaining("has passed");
        assertThatThrownBy(() -> DeploymentWindow.normalize("2027-02-01T00:00Z", NOW))
                .hasMessageContaining("more than 30 days away");
        assertThatThrownBy(() -> DeploymentWindow.normalize("tomorrow night", NOW))
                .hasMessageContaining("is not a date and time");
    }
}
