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
 * Feature experiments, end to end: a plugin to try, an option and a constant ride along with an
 * update, are applied and QA'd with it and listed apart on the developer's form; the plugin is
 * dropped there and the set is tested again without it on a fresh clone; what is frozen and
 * reaches live never held it, while the kept option and constant are set on live and served.
 */
class ExperimentReleaseTest extends ReleasingApplicationTest {
    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void registerSite() {
        registerAcme(SiteCaches.NONE);
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> errors(Map<String, Object> setting) {
        Map<String, Object> body = Map.of(
                "siteId",
                "acme",
                "changes",
                List.of(
                        Map.of(
                                "type",
                                "plugin",
                                "slug",
                                FixturePlugin.SLUG,
                                "version",
                                "1.1.0",
                                "package",
                                demo.fixturePackage("1.1.0").toString()),
                        setting));
        var answer = rest.withBasicAuth("ci", "ci")
                .exchange(
                        "/api/releases",
                        org.springframework.http.HttpMethod.POST,
                        new org.springframework.http.HttpEntity<>(body),
                        new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {});
        assertThat(answer.getStatusCode().value()).as("%s", answer.getBody()).isEqualTo(400);
        return (Map<String, String>) answer.getBody().get("errors");
    }

    @Test
    void anExperimentDroppedAtSignoffIsTestedAwayAndNeverReachesLive() throws Exception {
        Path experiment = QaFixtures.zip("sg-new-helper", "1.0.0", work.resolve("packages"));
        ReleaseDriver driver = driver();
        Map<String, Object> option = Map.of("type", "option", "name", "posts_per_page", "value", 5, "experiment", true);
        Map<String, Object> constant =
                Map.of("type", "constant", "name", "WP_POST_REVISIONS", "value", 3, "experiment", true);
        assertThat(errors(Map.of("type", "option", "name", "siteurl", "value", "https://elsewhere.example")))
                .containsEntry("changes[1].name", "the option siteurl cannot be changed by a release");
        assertThat(errors(Map.of("type", "constant", "name", "DB_HOST", "value", "10.0.0.9")))
                .containsEntry("changes[1].name", "the constant DB_HOST cannot be changed by a release");
        assertThat(errors(Map.of("type", "constant", "name", "WP_DEBUG", "value", List.of("no"))))
                .containsEntry("changes[1].value", "must be a string, an integer or true/false");
        String release = driver.startRelease(
                List.of("/"),
                "1.1.0",
                Map.of(
                        "type",
                        "plugin",
                        "slug",
                        "sg-new-helper",
                        "version",
                        "1.0.0",
                        "package",
                        experiment.toString(),
                        "experiment",
                        true),
                option,
                constant);

        Task first = driver.awaitTask(release, "Task_DeveloperSignoff");
        assertThat(runtime.getVariable(first.getProcessInstanceId(), "experimentChoices")
                        .toString())
                .isEqualTo("[{\"label\":\"plugin sg-new-helper 1.0.0\",\"value\":\"plugin sg-new-helper\"},"
                        + "{\"label\":\"option posts_per_page = 5\",\"value\":\"option posts_per_page\"},"
                        + "{\"label\":\"constant WP_POST_REVISIONS = 3\",\"value\":\"constant WP_POST_REVISIONS\"}]");
        assertThat((String) runtime.getVariable(first.getProcessInstanceId(), "approvalRoute"))
                .contains("carries feature experiments");
        assertThat(demo.site().staging().wpContent().resolve("plugins/sg-new-helper"))
                .as("applied and QA'd with the rest")
                .exists();
        assertThatThrownBy(() -> driver.complete(
                        "dev2",
                        "developers",
                        first,
                        Map.of(
                                "developerDecision",
                                "approve",
                                "droppedExperiments",
                                Spin.JSON("[\"plugin hello-stageguard\"]"))))
                .hasMessageContaining("may drop only the experiments it offers");

        driver.complete(
                "dev2",
                "developers",
                first,
                Map.of("developerDecision", "approve", "droppedExperiments", Spin.JSON("[\"plugin sg-new-helper\"]")));
        Task second = driver.awaitTask(release, "Task_DeveloperSignoff");
        assertThat(second.getId()).as("a new round").isNotEqualTo(first.getId());
        assertThat(runtime.getVariable(second.getProcessInstanceId(), "experimentChoices")
                        .toString())
                .as("the kept experiments, offered again")
                .contains("option posts_per_page")
                .contains("constant WP_POST_REVISIONS")
                .doesNotContain("sg-new-helper");
        assertThat(demo.site().staging().wpContent().resolve("plugins/sg-new-helper"))
                .as("staging cloned afresh, without the experiment")
                .doesNotExist();
        driver.signOff(release);
        driver.confirmPlan(release);

        Map<String, Object> status = driver.awaitEnd(release);
        assertThat(status.get("outcome"))
                .as("%s", ReleaseDriver.variables(status))
                .isEqualTo("Released");
        assertThat(jdbc.queryForObject(
                        "select manifest from sg_frozen_manifest where release_id = ?", String.class, release))
                .contains(FixturePlugin.SLUG)
                .doesNotContain("sg-new-helper");
        assertThat(demo.site().live().wpContent().resolve("plugins/sg-new-helper"))
                .doesNotExist();
        assertThat(demo.site().live().wpContent().resolve("plugins/" + FixturePlugin.MAIN_FILE))
                .content()
                .contains("Version: 1.1.0");
        assertThat(demo.mariaDb()
                        .sql("SELECT option_value FROM live_wp.wp_options WHERE option_name = 'posts_per_page'")
                        .strip())
                .isEqualTo("5");
        assertThat(demo.site().live().documentRoot().resolve("wp-config.php"))
                .content()
                .contains("define( 'WP_POST_REVISIONS', 3 );");
        assertThat((String) ReleaseDriver.variables(status).get("servedCode"))
                .as("live's PHP runs the kept settings")
                .contains("option posts_per_page=5")
                .contains("constant WP_POST_REVISIONS=3");
        assertThat(jdbc.queryForList(
                        "select distinct qa_round from sg_applied_change where release_id = ? order by qa_round",
                        Integer.class,
                        release))
                .containsExactly(1, 2);
    }
}
