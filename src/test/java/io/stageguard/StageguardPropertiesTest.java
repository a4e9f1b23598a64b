package io.stageguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** QA empties report folders per round: a release id may only ever name a folder right under the reports folder. */
class StageguardPropertiesTest {
    private final StageguardProperties properties = new StageguardProperties(Path.of("/srv/stageguard-data"), null);

    @Test
    void stageguardsOwnReleaseIdsNameAFolderRightUnderTheReportsFolder() {
        assertThat(properties.roundReportsDir("rel-0f3a9c21", 2))
                .isEqualTo(Path.of("/srv/stageguard-data/reports/rel-0f3a9c21/round-2"));
        assertThat(properties.releaseReportsDir("rel-0f3a9c21").getParent()).isEqualTo(properties.reportsDir());
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../backups", "rel/../../etc", "/etc", "rel-1/round-1", ".", "", " rel", "rel..x"})
    void anIdThatCouldLeadElsewhereIsRefusedNotResolved(String releaseId) {
        assertThatThrownBy(() -> properties.roundReportsDir(releaseId, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a release id for a report folder");
    }
}
