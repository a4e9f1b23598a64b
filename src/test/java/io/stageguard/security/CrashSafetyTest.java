package io.stageguard.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stageguard.ChildProcesses;
import io.stageguard.demo.DemoSite;
import io.stageguard.demo.FixturePlugin;
import io.stageguard.demo.LocalWordPress;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.support.WritePoints;
import io.stageguard.testsupport.LiveSnapshot;
import io.stageguard.testsupport.StageguardProcess;
import io.stageguard.wordpress.PageFetcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at the worst moments, as an operator would meet it: Stageguard runs in its own JVM on
 * an H2 file; the test stops it with SIGKILL half-way through the clone (files, then database), between the two renames
 * of an install on live (live has no plugin folder at that instant), and half-way through a
 * restore; then starts it again on the same data and does nothing else. Each time the release
 * must resume by itself within minutes and end right: nothing half-installed, the pre-deploy
 * backup not overwritten, live exactly as expected.
 */
class CrashSafetyTest {
    /** Short, so the test waits seconds, not the production two minutes, for a dead process's lock to run out. */
    private static final Duration LOCK = Duration.ofSeconds(15);

    private static final Duration PHASE = Duration.ofMinutes(5);

    @TempDir
    static Path work;

    static DemoSite demo;
    static Path data;
    static int port;

    @BeforeAll
    static void site() throws Exception {
        demo = DemoSite.create(work.resolve("site"), "acme");
        data = work.resolve("stageguard");
        port = LocalWordPress.freePort();
    }

    @AfterAll
    static void stop() {
        if (demo != null) demo.close();
    }

    private static StageguardProcess start(String stopAt, Path stopIn, String log) throws IOException {
        return StageguardProcess.start(data, port, stopAt, stopIn, LOCK, log);
    }

    @Test
    void killedInTheCloneTheInstallOnLiveAndTheRestoreReleasesResumeAndEndRight() throws Exception {
        SiteEnvironment live = demo.site().live();
        Path plugin = live.wpContent().resolve("plugins/" + FixturePlugin.SLUG);
        Path aside = live.wpContent().resolve("plugins/.stageguard-next-" + FixturePlugin.SLUG);
        String release;

        // 1. killed after the staging copy was built, before it was swapped in
        try (StageguardProcess app =
                start(WritePoints.CLONE_FILES_BEFORE_SWAP, demo.site().staging().documentRoot(), "app-1.log")) {
            app.json("ci", "PUT", "/api/sites/acme", definition());
            release = app.json("ci", "POST", "/api/releases", releaseOf("1.1.0"))
                    .get("releaseId")
                    .asText();
            app.awaitStoppedAt(WritePoints.CLONE_FILES_BEFORE_SWAP, PHASE);
            JsonNode stuck = Awaitility.await("the held step shown as long-running")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(
                            () -> app.json("operator", "GET", "/api/releases/" + release, null)
                                    .path("longRunning"),
                            running -> running.size() == 1);
            assertThat(stuck.get(0).path("step").asText()).isEqualTo("Task_CloneFiles");
            app.kill();
        }
        assertThat(demo.site().staging().documentRoot())
                .as("staging was never half-replaced")
                .isEmptyDirectory();

        // 1b. started again: the file copy resumes by itself; killed with staging's database half copied
        try (StageguardProcess app = start(
                WritePoints.CLONE_DATABASE_HALF_COPIED, demo.site().staging().documentRoot(), "app-1b.log")) {
            app.awaitStoppedAt(WritePoints.CLONE_DATABASE_HALF_COPIED, PHASE);
            app.kill();
        }

        // 1c. started again: the clone resumes, QA begins; killed with a Chromium session running (the machine's cap of
        // one holds the
        //     job's second session back)
        String inQa;
        Path temp = StageguardProcess.tempOf(data);
        try (StageguardProcess app = start(WritePoints.QA_BROWSER_RUNNING, temp, "app-1c.log")) {
            app.awaitStoppedAt(WritePoints.QA_BROWSER_RUNNING, PHASE);
            inQa = app.mark();
            assertThat(ChildProcesses.runningOf(inQa))
                    .as("chromedriver and Chromium, marked as this Stageguard's")
                    .anyMatch(p -> p.contains("chromedriver"))
                    .anyMatch(p -> p.contains("chromium"));
            assertThat(ChildProcesses.runningOf(inQa))
                    .as("one session at a time on the machine")
                    .filteredOn(p -> p.endsWith("/chromedriver"))
                    .hasSize(1);
            app.kill();
        }
        Awaitility.await("the browsers dying with the killed Stageguard")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> ChildProcesses.runningOf(inQa).stream()
                        .noneMatch(p -> p.contains("chromedriver") || p.endsWith("/chromium")));

        // 2. started again: the QA round resumes by itself and passes; killed on live right after the new plugin folder
        // was swapped in,
        //    the old one beside it, the served code not yet refreshed
        String inPush;
        try (StageguardProcess app = start(WritePoints.INSTALL_AFTER_SWAP, live.documentRoot(), "app-2.log")) {
            assertThat(ChildProcesses.runningOf(inQa))
                    .as("nothing of the Stageguard killed in QA runs on")
                    .isEmpty();
            assertThat(leftBehindBy(temp, inQa))
                    .as("its browser profiles and scripts are gone")
                    .isEmpty();
            signOff(app, release);
            app.awaitStoppedAt(WritePoints.INSTALL_AFTER_SWAP, PHASE);
            inPush = app.mark();
            app.kill();
        }
        assertThat(Files.readString(plugin.resolve(FixturePlugin.SLUG + ".php")))
                .as("the swap is one step: the folder is never missing")
                .contains("Version: 1.1.0");
        assertThat(Files.readString(aside.resolve(FixturePlugin.SLUG + ".php"))).contains("Version: 1.0.0");

        // 3. started again: the install resumes, the release ends Released; then a release that breaks live is rolled
        // back, killed half-way
        LiveSnapshot beforeBreaking;
        String breaking;
        try (StageguardProcess app = start(WritePoints.RESTORE_FILES_SWAPPED, live.documentRoot(), "app-3.log")) {
            assertThat(ChildProcesses.runningOf(inPush))
                    .as("nothing of the Stageguard killed in the push runs on")
                    .isEmpty();
            assertThat(awaitEnd(app, release).get("outcome").asText()).isEqualTo("Released");
            assertThat(Files.readString(plugin.resolveSibling(FixturePlugin.MAIN_FILE)))
                    .contains("Version: 1.1.0");
            assertThat(aside).doesNotExist();
            assertThat(demo.mariaDb()
                            .sql("SELECT option_value FROM live_wp.wp_options WHERE option_name = 'active_plugins'"))
                    .as("the plugin stays active as it was")
                    .contains(FixturePlugin.SLUG);
            Path backup = data.resolve("backups")
                    .resolve(release)
                    .resolve("files/wp-content/plugins/" + FixturePlugin.MAIN_FILE);
            assertThat(Files.readString(backup))
                    .as("the pre-deploy backup was not overwritten by the resumed deploy")
                    .contains("Version: 1.0.0");

            beforeBreaking = LiveSnapshot.of(live);
            breaking = app.json("ci", "POST", "/api/releases", releaseOf("1.3.0"))
                    .get("releaseId")
                    .asText();
            signOff(app, breaking);
            app.awaitStoppedAt(WritePoints.RESTORE_FILES_SWAPPED, PHASE);
            app.kill();
        }
        assertThat(Files.readString(plugin.resolve(FixturePlugin.SLUG + ".php")))
                .as("killed half-way through the restore, right after the "
                        + "plugin folder was swapped back in one step")
                .contains("Version: 1.1.0");

        // 4. started again: the restore resumes and live is exactly as before the breaking release
        try (StageguardProcess app = start(null, null, "app-4.log")) {
            assertThat(awaitEnd(app, breaking).get("outcome").asText()).isEqualTo("Rolled back");
        }
        assertThat(LiveSnapshot.of(live).differencesFrom(beforeBreaking))
                .as("live after the resumed rollback")
                .isEmpty();
        try (PageFetcher fetcher = new PageFetcher()) {
            assertThat(fetcher.get(live.url("/")).status()).isEqualTo(200);
        }
    }

    /** The browser profiles and scripts in {@code temp} of the Stageguard with {@code mark}. */
    private static List<Path> leftBehindBy(Path temp, String mark) throws IOException {
        try (var entries = Files.list(temp)) {
            return entries.filter(p -> p.getFileName().toString().contains("-" + mark.replace('@', '-')))
                    .toList();
        }
    }

    private static Map<String, Object> definition() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("live", environment(demo.site().live()));
        body.put("staging", environment(demo.site().staging()));
        body.put(
                "access",
                Map.of(
                        "developers",
                        Map.of("users", List.of("dev", "dev2")),
                        "clients",
                        Map.of("users", List.of("client"))));
        return body;
    }

    private static Map<String, Object> environment(SiteEnvironment env) {
        var db = env.database();
        return Map.of(
                "baseUrl",
                env.baseUrl(),
                "documentRoot",
                env.documentRoot().toString(),
                "database",
                Map.of(
                        "host",
                        db.host(),
                        "port",
                        db.port(),
                        "name",
                        db.name(),
                        "user",
                        db.user(),
                        "password",
                        db.password(),
                        "tablePrefix",
                        db.tablePrefix()));
    }

    private static Map<String, Object> releaseOf(String version) {
        return Map.of(
                "siteId",
                "acme",
                "qaPaths",
                List.of("/", "/sample-page/"),
                "changes",
                List.of(Map.of(
                        "type",
                        "plugin",
                        "slug",
                        FixturePlugin.SLUG,
                        "version",
                        version,
                        "package",
                        demo.fixturePackage(version).toString())));
    }

    /** Developer and client approve and a developer confirms the deployment plan, through the engine's REST API as Tasklist would. */
    private static void signOff(StageguardProcess app, String release) throws IOException {
        complete(app, release, "Task_DeveloperSignoff", "dev", "developerDecision", "approve");
        complete(app, release, "Task_ClientSignoff", "client", "clientDecision", "approve");
        complete(app, release, "Task_ConfirmDeploymentPlan", "dev", "planDecision", "confirm");
    }

    private static void complete(
            StageguardProcess app, String release, String taskKey, String user, String decision, String value)
            throws IOException {
        JsonNode task = Awaitility.await(taskKey + " of " + release)
                .atMost(PHASE)
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> app.json(
                                "operator",
                                "GET",
                                "/engine-rest/task?processInstanceBusinessKey=" + release + "&taskDefinitionKey="
                                        + taskKey,
                                null),
                        tasks -> tasks.size() == 1)
                .get(0);
        app.json(
                user,
                "POST",
                "/engine-rest/task/" + task.get("id").asText() + "/complete",
                Map.of("variables", Map.of(decision, Map.of("value", value))));
    }

    private static JsonNode awaitEnd(StageguardProcess app, String release) {
        return Awaitility.await("end of " + release)
                .atMost(PHASE)
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            JsonNode status = app.json("operator", "GET", "/api/releases/" + release, null);
                            if (status.path("incidents").size() > 0)
                                throw new AssertionError("incident in " + release + ": " + status.path("incidents"));
                            return status;
                        },
                        status -> "ended".equals(status.path("state").asText()));
    }
}
