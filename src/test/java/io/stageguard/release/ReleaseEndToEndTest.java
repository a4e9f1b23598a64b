package io.stageguard.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stageguard.demo.FixturePlugin;
import io.stageguard.site.Site;
import io.stageguard.site.SiteCaches;
import io.stageguard.support.Sha256;
import io.stageguard.testsupport.LiveSnapshot;
import io.stageguard.testsupport.QaFixtures;
import io.stageguard.testsupport.ReleaseDriver;
import io.stageguard.testsupport.ReleasingApplicationTest;
import io.stageguard.wordpress.PageFetcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The whole SOP on real parts: a live WordPress from Debian's package and its staging twin on a
 * MariaDB started for this test, served by php -S, checked in headless Chromium. Releases start
 * over the REST API and approvers complete their tasks through the engine's task API.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// Spring Boot's tests turn metrics export off unless asked: this class scrapes /actuator/prometheus
@AutoConfigureObservability(tracing = false)
class ReleaseEndToEndTest extends ReleasingApplicationTest {
    private static final List<String> QA_PATHS = List.of("/", "/sample-page/");

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    io.stageguard.rollback.BackupRetention retention;

    @Autowired
    PageFetcher fetcher;

    @Autowired
    io.stageguard.clone.StagingAccess stagingAccess;

    @BeforeEach
    void registerSite() {
        registerAcme(SiteCaches.NONE);
    }

    private TestRestTemplate asOperator() {
        return driver().asOperator();
    }

    @SafeVarargs
    private String startRelease(String version, Map<String, Object>... more) {
        return driver().startRelease(QA_PATHS, version, more);
    }

    private Task awaitTask(String release, String taskKey) {
        return driver().awaitTask(release, taskKey);
    }

    private Map<String, Object> awaitEnd(String release) {
        return driver().awaitEnd(release);
    }

    private Map<String, Object> status(String release) {
        return driver().status(release);
    }

    private static Map<String, Object> variables(Map<String, Object> status) {
        return ReleaseDriver.variables(status);
    }

    private List<Task> tasksVisibleTo(String user, String group) {
        return driver().tasksVisibleTo(user, group);
    }

    private void complete(String user, String group, Task task, Map<String, Object> variables) {
        driver().complete(user, group, task, variables);
    }

    private Site site() {
        return demo.site();
    }

    @Test
    @Order(1)
    void anApprovedUpdateReachesLiveAndNothingTouchesLiveBeforeSignoff() throws Exception {
        LiveSnapshot before = LiveSnapshot.of(site().live());
        Path newPlugin = QaFixtures.zip("sg-new-helper", "1.0.0", work.resolve("packages"));
        String release = startRelease(
                "1.1.0",
                Map.of("type", "plugin", "slug", "sg-new-helper", "version", "1.0.0", "package", newPlugin.toString()));

        Task developerTask = awaitTask(release, "Task_DeveloperSignoff");
        assertThat(LiveSnapshot.of(site().live()).differencesFrom(before))
                .as("live changes before sign-off")
                .isEmpty();
        assertThat(Files.readString(site().staging().wpContent().resolve("plugins/" + FixturePlugin.MAIN_FILE)))
                .contains("1.1.0");
        assertThat(
                        demo.mariaDb()
                                .sql(
                                        "SELECT option_value FROM staging_wp.wp_options WHERE option_name IN ('home', 'blog_public') ORDER BY option_name DESC"))
                .isEqualTo(site().staging().baseUrl() + "\n0\n");
        assertThat(tasksVisibleTo("client", "clients"))
                .as("a client sees no developer task")
                .isEmpty();
        Path snapshot = site().staging()
                .documentRoot()
                .resolveSibling("." + site().staging().documentRoot().getFileName() + ".stageguard-snapshot");
        assertThat(snapshot.resolve("wp-config.php"))
                .as("staging as cloned, kept for the culprit search")
                .exists();
        String reportUrl = (String) runtime.getVariable(developerTask.getProcessInstanceId(), "qaReportUrl");
        ResponseEntity<String> report =
                asOperator().getForEntity(java.net.URI.create(reportUrl).getPath(), String.class);
        assertThat(report.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(report.getBody())
                .contains("Passed")
                .contains("page-1-desktop-diff.png")
                .contains("page-1-phone-diff.png");

        complete(
                "dev",
                "developers",
                developerTask,
                Map.of("developerDecision", "approve", "developerComment", "looks right"));
        Task clientTask = awaitTask(release, "Task_ClientSignoff");
        assertThat(tasksVisibleTo("client", "clients"))
                .extracting(Task::getTaskDefinitionKey)
                .containsExactly("Task_ClientSignoff");
        complete("client", "clients", clientTask, Map.of("clientDecision", "approve"));
        driver().confirmPlan(release);

        Map<String, Object> status = awaitEnd(release);
        assertThat(status.get("outcome")).isEqualTo("Released");
        assertThat((String) variables(status).get("rollbackRehearsal"))
                .as("the rollback was rehearsed before the first write")
                .startsWith("the backup restores identically; restore took ");
        List<String> recorded = history.createHistoricDetailQuery().variableUpdates().list().stream()
                .map(d -> String.valueOf(((org.camunda.bpm.engine.history.HistoricVariableUpdate) d).getValue()))
                .toList();
        assertThat(recorded)
                .isNotEmpty()
                .noneMatch(v -> v.contains(site().live().database().password())
                        || v.contains(site().staging().database().password()));
        assertThat(Files.readString(site().live().wpContent().resolve("plugins/" + FixturePlugin.MAIN_FILE)))
                .contains("Version: 1.1.0");
        assertThat(fetcher.get(site().live().url("/")).body())
                .contains("Hello from Stageguard 1.1.0")
                .contains("<!-- sg-new-helper 1.0.0 -->");
        assertThat(
                        demo.mariaDb()
                                .sql(
                                        "SELECT option_value FROM live_wp.wp_options WHERE option_name = 'sg_new_helper_activated'"))
                .as("the plugin the release added was activated on live, its activation hook run")
                .isEqualTo("yes\n");
        assertThat(jdbc.queryForObject(
                        "select package_sha256 from sg_applied_change where release_id = ? and slug = ?",
                        String.class,
                        release,
                        FixturePlugin.SLUG))
                .isEqualTo(Sha256.of(demo.fixturePackage("1.1.0")));
        assertThat(jdbc.queryForObject(
                        "select manifest_sha256 from sg_frozen_manifest where release_id = ?", String.class, release))
                .isEqualTo(variables(status).get("manifestSha256"));
        assertThat(site().live().documentRoot().resolve("wp-content/mu-plugins"))
                .as("the staging guard never reaches live")
                .doesNotExist();
        assertThat(snapshot).as("the snapshot goes with the release").doesNotExist();
        assertThat(demo.mariaDb().sql("SHOW TABLES FROM staging_wp LIKE 'sgsnap%'"))
                .isBlank();
    }

    @Test
    @Order(5)
    void stagingIsRefreshedFromLiveOnItsOwnWithAParityReport() throws Exception {
        ResponseEntity<Map<String, Object>> started = rest.withBasicAuth("ci", "ci")
                .exchange(
                        "/api/sites/acme/staging-refresh",
                        HttpMethod.POST,
                        JSON_NO_BODY,
                        new ParameterizedTypeReference<>() {});
        assertThat(started.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        String refresh = (String) started.getBody().get("releaseId");
        assertThat(refresh).startsWith("refresh-");

        Map<String, Object> status = awaitEnd(refresh);
        assertThat(status.get("outcome")).isEqualTo("Staging ready");
        Map<String, Object> results = variables(status);
        assertThat((String) results.get("paritySummary"))
                .as("wordpress.org cannot be reached from the tests: its checksums are not checked, not different")
                .startsWith("Parity 100%")
                .endsWith("; not checked: wordpress.coreFiles")
                .doesNotContain("differs");
        assertThat((List<?>) results.get("parityReport")).hasSizeGreaterThan(10);
        assertThat((Map<String, Object>) results.get("cloneDatabaseReport"))
                .containsKeys("tables", "rows", "valuesRewritten", "sanitized", "millis");
        assertThat(fetcher.get(site().staging().url("/")).status())
                .as("strangers are kept out")
                .isEqualTo(401);
        assertThat(Files.readString(site().staging().wpContent().resolve("plugins/" + FixturePlugin.MAIN_FILE)))
                .as("staging is live's copy again")
                .isEqualTo(Files.readString(site().live().wpContent().resolve("plugins/" + FixturePlugin.MAIN_FILE)));

        ResponseEntity<Map<String, Object>> unknown = rest.withBasicAuth("ci", "ci")
                .exchange(
                        "/api/sites/nope/staging-refresh",
                        HttpMethod.POST,
                        JSON_NO_BODY,
                        new ParameterizedTypeReference<>() {});
        assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat((Map<String, String>) unknown.getBody().get("errors")).containsKey("siteId");
    }

    @Test
    @Order(3)
    void aReleaseWithAFatalErrorIsStoppedByQaAndNeverReachesSignoffOrLive() throws Exception {
        LiveSnapshot before = LiveSnapshot.of(site().live());
        String release = startRelease("1.2.0");

        Task revise = awaitTask(release, "Task_ReviseChangeSet");
        assertThat(revise.getName()).isEqualTo("Revise the change set");
        Map<String, Object> vars = runtime.getVariables(revise.getProcessInstanceId());
        assertThat(vars.get("qaPassed")).isEqualTo(false);
        assertThat((String) vars.get("reviseReason"))
                .contains("/: staging answers HTTP 500")
                .contains("PHP fatal error")
                .contains("caused by plugin hello-stageguard 1.2.0");
        assertThat(asOperator()
                        .getForObject(
                                java.net
                                        .URI
                                        .create((String) vars.get("qaReportUrl"))
                                        .getPath(),
                                String.class))
                .contains("Failed")
                .contains("HTTP 500");
        assertThat(history.createHistoricActivityInstanceQuery()
                        .activityId("Task_DeveloperSignoff")
                        .list())
                .filteredOn(a -> a.getRootProcessInstanceId().equals(revise.getProcessInstanceId()))
                .isEmpty();
        assertThat(LiveSnapshot.of(site().live()).differencesFrom(before)).isEmpty();

        complete("dev", "developers", revise, Map.of("revisionDecision", "abandon"));
        assertThat(awaitEnd(release).get("outcome")).isEqualTo("Release abandoned");
        assertThat(LiveSnapshot.of(site().live()).differencesFrom(before)).isEmpty();
    }

    @Test
    @Order(4)
    void whenLiveBreaksAfterDeployTheBackupIsRestoredExactly() throws Exception {
        LiveSnapshot before = LiveSnapshot.of(site().live());
        String release = startRelease("1.3.0");
        complete(
                "dev",
                "developers",
                awaitTask(release, "Task_DeveloperSignoff"),
                Map.of("developerDecision", "approve"));
        complete("client", "clients", awaitTask(release, "Task_ClientSignoff"), Map.of("clientDecision", "approve"));
        awaitTask(release, "Task_ConfirmDeploymentPlan");
        Map<String, Object> approved = (Map<String, Object>)
                asOperator().getForObject("/api/sites/acme", Map.class).get("stagingState");
        assertThat(approved).containsEntry("kind", "APPROVED").containsEntry("releaseId", release);
        assertThat((String) approved.get("text"))
                .startsWith("Approved for release " + release + " by dev and client at ");
        PageFetcher.Page seenByPeople = fetcher.get(
                site().staging().url("/"),
                Map.of(
                        "Authorization",
                        "Basic "
                                + java.util.Base64.getEncoder()
                                        .encodeToString(("anyone:" + stagingAccess.token("acme")).getBytes())));
        assertThat(seenByPeople.body())
                .as("people who open staging see its state")
                .contains("id=\"stageguard-state\"")
                .contains("Approved for release " + release + " by dev and client");
        assertThat(fetcher.get(site().staging().url("/"), stagingAccess.headers("acme"))
                        .body())
                .as("Stageguard's own checks do not")
                .doesNotContain("stageguard-state");
        driver().confirmPlan(release);

        Map<String, Object> status = awaitEnd(release);
        assertThat(status.get("outcome")).isEqualTo("Rolled back");
        assertThat((String) variables(status).get("liveVerification")).contains("/ 500");
        LiveSnapshot after = LiveSnapshot.of(site().live());
        assertThat(after.differencesFrom(before)).as("live after rollback").isEmpty();
        assertThat(fetcher.get(site().live().url("/")).status()).isEqualTo(200);
    }

    @Test
    @Order(7)
    void aPushThatBreaksOnlyWhatABrowserSeesIsCaughtByTheCheckOfLiveAndRolledBack() throws Exception {
        LiveSnapshot before = LiveSnapshot.of(site().live());
        Path plugin = QaFixtures.zip("sg-live-only-js-error", "1.0.0", work.resolve("packages"));
        String release = startRelease(
                "1.1.0",
                Map.of(
                        "type",
                        "plugin",
                        "slug",
                        "sg-live-only-js-error",
                        "version",
                        "1.0.0",
                        "package",
                        plugin.toString()));
        complete(
                "dev2",
                "developers",
                awaitTask(release, "Task_DeveloperSignoff"),
                Map.of("developerDecision", "approve"));
        complete("client", "clients", awaitTask(release, "Task_ClientSignoff"), Map.of("clientDecision", "approve"));
        driver().confirmPlan(release);

        Map<String, Object> status = awaitEnd(release);
        assertThat(status.get("outcome")).isEqualTo("Rolled back");
        Map<String, Object> results = variables(status);
        assertThat((String) results.get("liveVerification"))
                .as("every page answered 200 without a PHP error")
                .contains("/ 200 ok")
                .contains("fail")
                .contains("new console error")
                .contains("TypeError");
        String report = asOperator()
                .getForObject(
                        java.net
                                .URI
                                .create((String) results.get("liveReportUrl"))
                                .getPath(),
                        String.class);
        assertThat(report)
                .contains("Live after the push")
                .contains("Failed")
                .contains("TypeError")
                .contains("page-1-before-desktop.png");
        assertThat(LiveSnapshot.of(site().live()).differencesFrom(before))
                .as("live after the rollback")
                .isEmpty();
    }

    @Test
    @Order(8)
    void backupsAreListedPerSiteReadableByStageguardAloneAndRemovedAfterTheirRetention() throws Exception {
        ResponseEntity<List<Map<String, Object>>> listed = rest.withBasicAuth("client", "client")
                .exchange("/api/sites/acme/backups", HttpMethod.GET, null, new ParameterizedTypeReference<>() {});
        assertThat(listed.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(listed.getBody())
                .as("the earlier tests' pushes")
                .hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(b -> assertThat(b)
                        .containsKeys("releaseId", "createdAt", "verifiedAt", "bytes")
                        .doesNotContainKey("removedAt"))
                .as("sizes counted at verification")
                .allSatisfy(
                        b -> assertThat(((Number) b.get("bytes")).longValue()).isPositive());
        assertThat(rest.withBasicAuth("otherclient", "otherclient")
                        .getForEntity("/api/sites/acme/backups", String.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.FORBIDDEN);
        Path backups = work.resolve("stageguard/backups");
        assertThat(java.nio.file.Files.getPosixFilePermissions(backups))
                .containsExactlyInAnyOrderElementsOf(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));

        List<String> removed =
                retention.removeTakenBefore(java.time.Instant.now().plusSeconds(1));
        assertThat(removed).hasSameSizeAs(listed.getBody());
        assertThat(backups).isEmptyDirectory();
        ResponseEntity<List<Map<String, Object>>> after = asOperator()
                .exchange("/api/sites/acme/backups", HttpMethod.GET, null, new ParameterizedTypeReference<>() {});
        assertThat(after.getBody())
                .allSatisfy(b -> assertThat(b).containsKey("removedAt").containsEntry("bytes", 0));
    }

    @Test
    @Order(9)
    void theReleasesAboveAreCountedForPrometheusAndHealthShowsTheDatabaseAndTheJobExecutor() {
        ResponseEntity<String> scraped = asOperator().getForEntity("/actuator/prometheus", String.class);
        assertThat(scraped.getStatusCode()).isEqualTo(HttpStatus.OK);
        String metrics = scraped.getBody();
        // the earlier tests: 1.1.0 released twice, 1.3.0 and the browser-only break rolled back, one abandoned
        assertThat(counter(metrics, "stageguard_releases_ended_total{outcome=\"Released\",site=\"acme\"}"))
                .isGreaterThanOrEqualTo(2);
        assertThat(counter(metrics, "stageguard_releases_ended_total{outcome=\"Rolled back\",site=\"acme\"}"))
                .isGreaterThanOrEqualTo(2);
        assertThat(counter(metrics, "stageguard_releases_ended_total{outcome=\"Release abandoned\",site=\"acme\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(counter(metrics, "stageguard_releases_started_total{site=\"acme\"}"))
                .isGreaterThanOrEqualTo(5);
        assertThat(counter(
                        metrics,
                        "stageguard_phase_duration_seconds_count{phase=\"1 Create staging clone\",site=\"acme\"}"))
                .isGreaterThanOrEqualTo(4);
        assertThat(counter(metrics, "stageguard_phase_duration_seconds_count{phase=\"5 Push to live\",site=\"acme\"}"))
                .isGreaterThanOrEqualTo(4);
        assertThat(counter(metrics, "stageguard_qa_pages_checked_total{site=\"acme\"}"))
                .isGreaterThanOrEqualTo(5);
        assertThat(counter(metrics, "stageguard_parity_index{site=\"acme\"}")).isEqualTo(1.0);
        assertThat(counter(metrics, "stageguard_rollback_duration_seconds_count{site=\"acme\"}"))
                .isGreaterThanOrEqualTo(2);
        assertThat(rest.getForEntity("/actuator/prometheus", String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(rest.withBasicAuth("client", "client")
                        .getForEntity("/actuator/prometheus", String.class)
                        .getStatusCode())
                .as("the metrics name every site")
                .isEqualTo(HttpStatus.FORBIDDEN);

        ResponseEntity<Map<String, Object>> health =
                rest.exchange("/actuator/health", HttpMethod.GET, null, new ParameterizedTypeReference<>() {});
        assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(health.getBody()).containsEntry("status", "UP");
        assertThat((Map<String, Object>) health.getBody().get("components")).containsKeys("db", "jobExecutor");
    }

    @Test
    @Order(10)
    void aReleasePageShowsPeopleWithoutCockpitThePhasesTheSignoffsThePlanAndTheReports() {
        String released = jdbc
                .queryForList(
                        "select id from sg_release where site_id = 'acme' and id like 'rel-%' order by created_at",
                        String.class)
                .stream()
                .filter(id -> "Released".equals(status(id).get("outcome")))
                .findFirst()
                .orElseThrow();
        ResponseEntity<String> page =
                rest.withBasicAuth("client", "client").getForEntity("/releases/" + released, String.class);
        assertThat(page.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(page.getHeaders().getContentType().toString()).startsWith("text/html");
        assertThat(page.getHeaders().getFirst("Content-Security-Policy")).startsWith("default-src 'none'");
        assertThat(page.getBody())
                .contains("<h1>Release " + released)
                .contains("Ended: Released")
                .contains("1 Create staging clone")
                .contains("3 QA and debugging")
                .contains("5 Push to live")
                .contains("Developer sign-off")
                .contains("Client sign-off")
                .contains(">dev<")
                .contains("QA report")
                .contains("Deployment plan")
                .contains("rollback about")
                .contains("Taken ");
        assertThat(rest.withBasicAuth("otherclient", "otherclient")
                        .getForEntity("/releases/" + released, String.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(rest.getForEntity("/releases/" + released, String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);

        ResponseEntity<String> site = rest.withBasicAuth("client", "client").getForEntity("/sites/acme", String.class);
        assertThat(site.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(site.getBody())
                .contains("<a href=\"/releases/" + released + "\">")
                .contains("Released")
                .contains("Release abandoned");
        assertThat(rest.withBasicAuth("otherclient", "otherclient")
                        .getForEntity("/sites/acme", String.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.FORBIDDEN);
    }

    /** The value of one sample in Prometheus's text format. */
    private static double counter(String metrics, String sample) {
        return metrics.lines()
                .filter(l -> l.startsWith(sample + " "))
                .findFirst()
                .map(l -> Double.parseDouble(
                        l.substring(sample.length() + 1).trim().split(" ")[0]))
                .orElseThrow(() -> new AssertionError("no sample " + sample + " in:\n"
                        + metrics.lines()
                                .filter(l -> l.startsWith("stageguard"))
                                .reduce("", (a, b) -> a + b + "\n")));
    }

    @Test
    @Order(2)
    void aFailedRoundCanBeRevisedWithAFixedPackageAndARejectionComesBackWithItsComment() throws Exception {
        LiveSnapshot before = LiveSnapshot.of(site().live());
        String release = startRelease("1.2.0");
        Task revise = awaitTask(release, "Task_ReviseChangeSet");
        String fixed = "[{\"type\":\"plugin\",\"slug\":\"hello-stageguard\",\"version\":\"1.1.0\",\"package\":\""
                + demo.fixturePackage("1.1.0") + "\"}]";
        complete("dev", "developers", revise, Map.of("revisionDecision", "revise", "revisedChanges", fixed));

        Task developerTask = awaitTask(release, "Task_DeveloperSignoff");
        // the sign-off phase receives only what it shows; the release itself holds the QA outcome
        assertThat(runtime.getVariable(developerTask.getProcessInstanceId(), "qaRound"))
                .isEqualTo(2);
        assertThat(String.valueOf(runtime.getVariable(developerTask.getProcessInstanceId(), "qaResolved")))
                .as("the approvers see that round 1's fatal error is gone")
                .contains("\"where\":\"/")
                .contains("500");
        assertThat(String.valueOf(runtime.getVariable(developerTask.getProcessInstanceId(), "parityDifferences")))
                .as("nothing differs")
                .isEqualTo("[]");
        Map<String, Object> vars = runtime.getVariables((String) status(release).get("processInstanceId"));
        assertThat(vars.get("qaRound")).isEqualTo(2);
        assertThat(vars.get("qaPassed")).isEqualTo(true);
        assertThat(jdbc.queryForList(
                        "select version from sg_applied_change where release_id = ? order by qa_round",
                        String.class,
                        release))
                .containsExactly("1.2.0", "1.1.0");
        assertThat(Files.readString(site().staging().wpContent().resolve("plugins/" + FixturePlugin.MAIN_FILE)))
                .contains("Version: 1.1.0");

        assertThatThrownBy(() -> complete("dev", "developers", developerTask, Map.of("developerDecision", "approve")))
                .as("four eyes: who revised the change set does not approve it")
                .hasMessageContaining("Four eyes: dev last revised");
        assertThatThrownBy(() -> complete("dev", "developers", developerTask, Map.of("developerDecision", "reject")))
                .hasMessageContaining("needs a comment");
        assertThatThrownBy(() -> complete(
                        "dev", "developers", developerTask, Map.of("developerDecision", "approve", "qaRound", 1)))
                .as("a completion sets only its form's fields")
                .hasMessageContaining("it tried to change qaRound");
        assertThat(tasks.createTaskQuery().taskId(developerTask.getId()).count())
                .as("the refused completions left the task open")
                .isOne();
        complete(
                "dev",
                "developers",
                developerTask,
                Map.of("developerDecision", "reject", "developerComment", "wait for the sale to end"));
        Task again = awaitTask(release, "Task_ReviseChangeSet");
        assertThat((String) runtime.getVariable(again.getProcessInstanceId(), "reviseReason"))
                .isEqualTo("Rejected by the developer: wait for the sale to end");
        complete("dev", "developers", again, Map.of("revisionDecision", "abandon"));
        assertThat(awaitEnd(release).get("outcome")).isEqualTo("Release abandoned");
        assertThat(LiveSnapshot.of(site().live()).differencesFrom(before)).isEmpty();
    }

    @Test
    @Order(6)
    void whenLiveChangesAfterTestingTheReleaseIsTestedAgainOnAFreshCloneBeforeAnythingIsWritten() throws Exception {
        String release = startRelease("1.1.0");
        Task developerTask = awaitTask(release, "Task_DeveloperSignoff");
        // someone hot-fixes live by hand while the release waits for its sign-off
        Path liveMain = site().live().wpContent().resolve("plugins/" + FixturePlugin.MAIN_FILE);
        String handEdited = Files.readString(liveMain) + "\n// hot-fixed on live by hand\n";
        Files.writeString(liveMain, handEdited);
        complete("dev", "developers", developerTask, Map.of("developerDecision", "approve"));
        // live runs 1.1.0 since the first test: the same version again is a low-risk plan, pushed without a
        // confirmation
        complete("client", "clients", awaitTask(release, "Task_ClientSignoff"), Map.of("clientDecision", "approve"));

        Task again = awaitTask(release, "Task_DeveloperSignoff");
        assertThat(again.getId()).as("a new sign-off, after testing again").isNotEqualTo(developerTask.getId());
        assertThat((String) variables(status(release)).get("liveDrift"))
                .contains("wp-content/plugins/" + FixturePlugin.SLUG + ": its files changed on live");
        assertThat(liveMain).as("live was not overwritten unseen").hasContent(handEdited);
        assertThat(jdbc.queryForObject("select count(*) from sg_backup where release_id = ?", Integer.class, release))
                .as("nothing was backed up or written while live had changed")
                .isZero();
        assertThat(Files.readString(site().staging().wpContent().resolve("plugins/" + FixturePlugin.MAIN_FILE)))
                .as("staging was cloned afresh from the changed live, then the release applied")
                .contains("Version: 1.1.0");

        complete("dev", "developers", again, Map.of("developerDecision", "approve"));
        complete("client", "clients", awaitTask(release, "Task_ClientSignoff"), Map.of("clientDecision", "approve"));
        Map<String, Object> status = awaitEnd(release);
        assertThat(status.get("outcome")).isEqualTo("Released");
        assertThat((Map<String, Object>) variables(status).get("deploymentPlan"))
                .containsEntry("risk", "low");
        assertThat(Files.readString(liveMain)).contains("Version: 1.1.0").doesNotContain("hot-fixed");
    }

    @Test
    void sitesAreRegisteredOverRestWithoutEchoingPasswordsAndCheckedField() throws Exception {
        // a live of its own: one live belongs to one site (review 954a1fc, M1)
        Path otherLive = Files.createDirectories(work.resolve("other-live"));
        Files.writeString(otherLive.resolve("wp-load.php"), "<?php // another site's WordPress\n");
        Map<String, Object> staging = Map.of(
                "baseUrl",
                "http://127.0.0.1:9",
                "documentRoot",
                work.resolve("other-staging").toString(),
                "database",
                Map.of(
                        "host",
                        "127.0.0.1",
                        "port",
                        9,
                        "name",
                        "other_staging",
                        "user",
                        "u",
                        "password",
                        "staging-secret-42",
                        "tablePrefix",
                        "wp_"));
        Map<String, Object> live = Map.of(
                "baseUrl",
                "http://127.0.0.1:8",
                "documentRoot",
                otherLive.toString(),
                "database",
                Map.of(
                        "host",
                        "127.0.0.1",
                        "port",
                        9,
                        "name",
                        "other_live",
                        "user",
                        "u",
                        "password",
                        "live-secret-42",
                        "tablePrefix",
                        "wp_"));
        ResponseEntity<Map<String, Object>> noPeople = asOperator()
                .exchange(
                        "/api/sites/other",
                        HttpMethod.PUT,
                        new HttpEntity<>(Map.of("live", live, "staging", staging)),
                        new ParameterizedTypeReference<>() {});
        assertThat(noPeople.getStatusCode())
                .as("a site must name its people (review 954a1fc, M9)")
                .isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat((Map<String, String>) noPeople.getBody().get("errors")).containsOnlyKeys("access");
        Map<String, Object> access =
                Map.of("developers", Map.of("users", List.of("dev")), "clients", Map.of("groups", List.of("clients")));
        ResponseEntity<String> saved = asOperator()
                .exchange(
                        "/api/sites/other",
                        HttpMethod.PUT,
                        new HttpEntity<>(Map.of("live", live, "staging", staging, "access", access)),
                        String.class);
        assertThat(saved.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(saved.getBody()).contains("other_live").doesNotContain("secret-42");

        ResponseEntity<Map<String, Object>> refused = asOperator()
                .exchange(
                        "/api/sites/Bad_Id",
                        HttpMethod.PUT,
                        new HttpEntity<>(Map.of(
                                "live",
                                live,
                                "staging",
                                Map.of(
                                        "baseUrl",
                                        "ftp://x",
                                        "documentRoot",
                                        site().live().documentRoot().toString(),
                                        "database",
                                        Map.of(
                                                "host",
                                                "127.0.0.1",
                                                "port",
                                                9,
                                                "name",
                                                "other_live",
                                                "user",
                                                "u",
                                                "password",
                                                "p",
                                                "tablePrefix",
                                                "wp_")),
                                "access",
                                access)),
                        new ParameterizedTypeReference<>() {});
        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat((Map<String, String>) refused.getBody().get("errors")).containsOnlyKeys("siteId", "staging.baseUrl");

        Map<String, Object> qa = Map.of(
                "masks",
                List.of(".clock", "  "),
                "flows",
                List.of(Map.of(
                        "name",
                        "search",
                        "steps",
                        List.of(
                                Map.of("action", "visit", "path", "/"),
                                Map.of("action", "submit"),
                                Map.of("action", "teleport")))));
        ResponseEntity<Map<String, Object>> badQa = asOperator()
                .exchange(
                        "/api/sites/other",
                        HttpMethod.PUT,
                        new HttpEntity<>(Map.of("live", live, "staging", staging, "qa", qa, "access", access)),
                        new ParameterizedTypeReference<>() {});
        assertThat(badQa.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat((Map<String, String>) badQa.getBody().get("errors"))
                .containsOnlyKeys("qa.masks[1]", "qa.flows[0].steps[1]", "qa.flows[0].steps[2]")
                .containsEntry("qa.flows[0].steps[1]", "submit needs a selector");
    }

    @Test
    void aReleaseForASiteThatCannotBeReachedIsRefusedWithTheReason() {
        Site down = new Site(
                "down",
                new io.stageguard.site.SiteEnvironment(
                        "http://127.0.0.1:9",
                        site().live().documentRoot(),
                        new io.stageguard.site.DatabaseConnection("127.0.0.1", 9, "nothing", "nobody", "x", "wp_")),
                site().staging());
        sites.save(down);
        Map<String, Object> body = Map.of(
                "siteId",
                "down",
                "changes",
                List.of(Map.of(
                        "type",
                        "plugin",
                        "slug",
                        FixturePlugin.SLUG,
                        "package",
                        demo.fixturePackage("1.1.0").toString())));
        ResponseEntity<Map<String, Object>> answer = rest.withBasicAuth("ci", "ci")
                .exchange(
                        "/api/releases",
                        HttpMethod.POST,
                        new HttpEntity<>(body),
                        new ParameterizedTypeReference<>() {});
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat((Map<String, String>) answer.getBody().get("errors")).containsKeys("live.database", "live.baseUrl");
        assertThat(runtime.createProcessInstanceQuery()
                        .variableValueEquals("siteId", "down")
                        .count())
                .isZero();
    }

    @Test
    void badRequestsAreRefusedNamingEachField() {
        Map<String, Object> body = Map.of(
                "siteId",
                "nope",
                "qaPaths",
                List.of("/../../etc/passwd"),
                "changes",
                List.of(Map.of("type", "plugin", "slug", "../evil", "package", "/no/such.zip")));
        ResponseEntity<Map<String, Object>> answer = asOperator()
                .exchange(
                        "/api/releases",
                        HttpMethod.POST,
                        new HttpEntity<>(body),
                        new ParameterizedTypeReference<>() {});
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat((Map<String, String>) answer.getBody().get("errors"))
                .containsOnlyKeys("siteId", "changes[0].slug", "changes[0].package", "qaPaths[0]");
        assertThat(rest.getForEntity("/api/releases/x", String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(rest.getForEntity("/engine-rest/task", String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(rest.withBasicAuth("client", "client")
                        .postForEntity("/api/releases", body, String.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.FORBIDDEN);
    }
}
