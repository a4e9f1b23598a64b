package io.stageguard.update;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionStepTest {
    @Test
    void stepsAreReadAsSemanticVersions() {
        assertThat(VersionStep.between("none", "1.0.0")).isEqualTo(VersionStep.NEW);
        assertThat(VersionStep.between("1.0.0", "1.0.0")).isEqualTo(VersionStep.SAME);
        assertThat(VersionStep.between("1.2", "1.2.1")).isEqualTo(VersionStep.PATCH);
        assertThat(VersionStep.between("1.0.9", "1.1.0")).isEqualTo(VersionStep.MINOR);
        assertThat(VersionStep.between("1.9.9", "2")).isEqualTo(VersionStep.MAJOR);
        assertThat(VersionStep.between("2.0.0", "1.9.0")).isEqualTo(VersionStep.DOWNGRADE);
        assertThat(VersionStep.between("1.0.0-beta", "1.0.0")).isEqualTo(VersionStep.UNKNOWN);
        assertThat(VersionStep.between("unknown", "1.0.0")).isEqualTo(VersionStep.UNKNOWN);
    }
}
