package io.stageguard.clone;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the parity line says when an item could not be checked on one side or both. */
class ParityReportTest {

    @Test
    void anItemThatCouldNotBeCheckedIsNeitherAMatchNorADifference() {
        ParityReport report = ParityReport.compare(
                Map.of(
                        "wordpress.version",
                        "6.1.9",
                        "php.version",
                        "8.2",
                        "wordpress.coreFiles",
                        "not checked: wordpress.org could not be reached (timed out)"),
                Map.of(
                        "wordpress.version",
                        "6.1.9",
                        "php.version",
                        "8.1",
                        "wordpress.coreFiles",
                        "not checked: wordpress.org could not be reached (refused)"),
                List.of("wordpress.version", "wordpress.coreFiles"));

        assertThat(report.summary())
                .isEqualTo("Parity 50% (1 of 2 items match); differs: php.version; not checked: wordpress.coreFiles");
        assertThat(report.blocked()).as("what was not checked cannot block").isFalse();
        assertThat(report.items())
                .filteredOn(ParityReport.Item::differs)
                .extracting(ParityReport.Item::item)
                .containsExactly("php.version");
    }

    @Test
    void oneSideUncheckedIsNotChecked() {
        ParityReport report = ParityReport.compare(
                Map.of("wordpress.coreFiles", "all 1021 as published for 6.1.9"),
                Map.of("wordpress.coreFiles", "not checked: wordpress.org publishes no checksums for WordPress 6.1.9"),
                List.of("wordpress.coreFiles"));

        assertThat(report.summary()).isEqualTo("Parity 100% (0 of 0 items match); not checked: wordpress.coreFiles");
        assertThat(report.blocked()).isFalse();
    }
}
