package io.stageguard.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stageguard.demo.FixturePlugin;
import io.stageguard.site.SiteCaches;
import io.stageguard.testsupport.QaFixtures;
import io.stageguard.testsupport.ReleaseDriver;
import io.stageguard.testsupport.ReleasingApplicationTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.task.Task;
import org.camunda.spin.Spin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A feature experiment, end to end: a plugin to try rides along with an update, is applied and
 * QA'd with it, listed apart on the developer's form, dropped there, and the set is tested again
 * without it on a fresh clone; what is frozen and reaches live never held it.
 */
class ExperimentReleaseTest extends ReleasingApplicationTest {
    @Autowired JdbcTemplate jdbc;

    @BeforeEach
    void registerSite() {
        registerAcme(SiteCaches.NONE);
    }

    @Test
    void anExperimentDroppedAtSignoffIsTestedAwayAndNeverReachesLive() throws Exception {
        Path experiment = QaFixtures.zip("sg-new-helper", "1.0.0", work.resolve("packages"));
        ReleaseDriver driver = driver();
        String release = driver.startRelease(List.of("/"), "1.1.0",
                Map.of("type", "plugin", "slug", "sg-new-helper", "version", "1.0.0", "package", experiment.toString(), "experiment", true));

        Task first = driver.awaitTask(release, "Task_DeveloperSignoff");
        assertThat(runtime.getVariable(first.getProcessInstanceId(), "experimentChoices").toString())
                .isEqualTo("[{\"label\":\"plugin sg-new-helper 1.0.0\",\"value\":\"plugin sg-new-helper\"}]");
        assertThat((String) runtime.getVariable(first.getProcessInstanceId(), "approvalRoute")).contains("carries feature experiments");
        assertThat(demo.site().staging().wpContent().resolve("plugins/sg-new-helper")).as("applied and QA'd with the rest").exists();
        assertThatThrownBy(() -> driver.complete("dev2", "developers", first, Map.of("developerDecision", "approve",
                "droppedExperiments", Spin.JSON("[\"plugin hello-stageguard\"]")))).hasMessageContaining("may drop only the experiments it offers");

        driver.complete("dev2", "developers", first, Map.of("developerDecision", "approve",
                "droppedExperiments", Spin.JSON("[\"plugin sg-new-helper\"]")));
        Task second = driver.awaitTask(release, "Task_DeveloperSignoff");
        assertThat(second.getId()).as("a new round").isNotEqualTo(first.getId());
        assertThat(runtime.getVariable(second.getProcessInstanceId(), "experimentChoices").toString()).isEqualTo("[]");
        assertThat(demo.site().staging().wpContent().resolve("plugins/sg-new-helper")).as("staging cloned afresh, without the experiment").doesNotExist();
        driver.signOff(release);
        driver.confirmPlan(release);

        Map<String, Object> status = driver.awaitEnd(release);
        assertThat(status.get("outcome")).as("%s", ReleaseDriver.variables(status)).isEqualTo("Released");
        assertThat(jdbc.queryForObject("select manifest from sg_frozen_manifest where release_id = ?", String.class, release))
                .contains(FixturePlugin.SLUG).doesNotContain("sg-new-helper");
        assertThat(demo.site().live().wpContent().resolve("plugins/sg-new-helper")).doesNotExist();
        assertThat(demo.site().live().wpContent().resolve("plugins/" + FixturePlugin.MAIN_FILE)).content().contains("Version: 1.1.0");
        assertThat(jdbc.queryForList("select distinct qa_round from sg_applied_change where release_id = ? order by qa_round", Integer.class, release))
                .containsExactly(1, 2);
    }
}
