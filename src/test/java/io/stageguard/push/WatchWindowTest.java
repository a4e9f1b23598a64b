package io.stageguard.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.demo.FixturePlugin;
import io.stageguard.site.SiteCaches;
import io.stageguard.support.Sha256;
import io.stageguard.testsupport.LiveVisitors;
import io.stageguard.testsupport.OwnPagesQa;
import io.stageguard.testsupport.ReleaseDriver;
import io.stageguard.testsupport.ReleasingApplicationTest;
import io.stageguard.wordpress.PageFetcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;

/**
 * The watch window after a push, with real timers (a probe every 2 seconds in a 10-minute window):
 * a failed probe, or a rollback requested over the API, puts live back; the status API shows the
 * step as "Watch live" meanwhile.
 */
@OwnPagesQa
@TestPropertySource(properties = {"stageguard.deploy.watch-window=PT10M", "stageguard.deploy.watch-interval=PT2S"})
class WatchWindowTest extends ReleasingApplicationTest {
    private static final List<String> QA_PATHS = List.of("/", "/sample-page/");

    @Autowired
    PageFetcher fetcher;

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @BeforeEach
    void registerSite() {
        registerAcme(SiteCaches.NONE);
    }

    @Test
    void aRollbackRequestedOverTheApiWhileLiveIsWatchedPutsLiveBack() throws Exception {
        String before = Files.readString(liveMainFile());
        String release = pushedAndWatched();
        assertThat(rollback("client", release).getStatusCode())
                .as("a client asks the developers")
                .isEqualTo(HttpStatus.FORBIDDEN);
        // live's people go on while it is watched: an editor changes the tagline and a post's title, a visitor comments
        LiveVisitors visitors = new LiveVisitors(demo);
        visitors.editTaglineAndFirstPostTitle("Edited while watched", "Hello, edited world");
        visitors.comment("Written while watched");
        ResponseEntity<Map<String, Object>> accepted = rollback("ci", release);
        assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);

        Map<String, Object> status = driver().awaitEnd(release);
        assertThat(status.get("outcome")).isEqualTo("Rolled back");
        assertThat((String) ReleaseDriver.variables(status).get("rollbackRequest"))
                .startsWith("requested by ci at ")
                .endsWith(": checkout is broken");
        assertThat(liveMainFile()).hasContent(before);
        assertThat(visitors.query("SELECT option_value FROM wp_options WHERE option_name = 'blogdescription'"))
                .isEqualTo("Edited while watched");
        assertThat(visitors.query("SELECT post_title FROM wp_posts WHERE ID = 1"))
                .isEqualTo("Hello, edited world");
        assertThat(visitors.query("SELECT COUNT(*) FROM wp_comments WHERE comment_content = 'Written while watched'"))
                .isEqualTo("1");
        assertThat((String) ReleaseDriver.variables(status).get("rollbackReport"))
                .contains("kept live's edit of wp_posts ID=1 (column(s) post_title")
                .containsPattern("kept live's edit of wp_options option_id=\\d+ \\(column\\(s\\) option_value");
        ResponseEntity<Map<String, Object>> late = rollback("ci", release);
        assertThat(late.getStatusCode()).as("no longer watched").isEqualTo(HttpStatus.CONFLICT);
        assertThat((Map<String, String>) late.getBody().get("errors")).containsKey("releaseId");
    }

    @Test
    void aProbeThatFindsLiveBrokenWhileWatchedRollsBack() throws Exception {
        String before = Files.readString(liveMainFile());
        String release = pushedAndWatched();
        // something breaks live after the push was verified (a cron job, a late hook, a full disk)
        Files.writeString(
                liveMainFile(),
                Files.readString(liveMainFile())
                        + "\nadd_action( 'template_redirect', function () { hello_broken_since_the_push(); } );\n");

        Map<String, Object> status = driver().awaitEnd(release);
        assertThat(status.get("outcome")).isEqualTo("Rolled back");
        assertThat((String) ReleaseDriver.variables(status).get("watchReport"))
                .contains("Live failed a probe while watched")
                .contains("/: HTTP 500");
        assertThat(liveMainFile()).hasContent(before);
        assertThat(fetcher.get(demo.site().live().url("/")).status()).isEqualTo(200);
    }

    @Test
    void aRollbackKeepsTheCommentTheUserAndThePluginRowLiveGotSinceThePushAndPutsBackTheMigration() throws Exception {
        LiveVisitors visitors = new LiveVisitors(demo);
        visitors.guestbookOfVersion1();
        Path pluginFolder = demo.site().live().wpContent().resolve("plugins/" + FixturePlugin.SLUG);
        String filesBefore = Sha256.ofTree(pluginFolder);
        String release = pushedAndWatched("1.4.0");
        assertThat(visitors.query("SHOW CREATE TABLE wp_hello_stageguard_greetings", 2))
                .as("the deploy ran the upgrade routine")
                .contains("`mood`");
        assertThat(visitors.query("SELECT option_value FROM wp_options WHERE option_name = 'hello_stageguard_db'"))
                .isEqualTo("2");
        assertThat(jdbc.queryForObject(
                        "select schema_changes from sg_applied_change where release_id = ? and slug = ?",
                        String.class,
                        release,
                        FixturePlugin.SLUG))
                .as("measured on staging when 1.4.0 was applied")
                .contains("column wp_hello_stageguard_greetings.mood added: varchar(20) not null default 'happy'")
                .contains("option hello_stageguard_db added");
        String plan =
                jdbc.queryForObject("select plan from sg_deployment_plan where release_id = ?", String.class, release);
        assertThat(plan)
                .as("handed to the push's plan")
                .contains(
                        "plugin hello-stageguard changed staging's database: column wp_hello_stageguard_greetings.mood added")
                .contains("plugin hello-stageguard migrates tables (1 schema change(s) on staging)");

        // live's visitors while it is watched
        visitors.comment("Written after the push");
        visitors.signUp("newcomer");
        visitors.greet("glad to be here");

        assertThat(rollback("ci", release).getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        Map<String, Object> status = driver().awaitEnd(release);
        assertThat(status.get("outcome")).isEqualTo("Rolled back");
        assertThat(Sha256.ofTree(pluginFolder))
                .as("the plugin's files byte-identical to before the push")
                .isEqualTo(filesBefore);
        assertThat(visitors.query("SELECT COUNT(*) FROM wp_comments WHERE comment_content = 'Written after the push'"))
                .isEqualTo("1");
        assertThat(
                        visitors.query(
                                "SELECT COUNT(*) FROM wp_users u JOIN wp_usermeta m ON m.user_id = u.ID WHERE u.user_login = 'newcomer'"))
                .isEqualTo("1");
        assertThat(visitors.query("SELECT GROUP_CONCAT(message ORDER BY id) FROM wp_hello_stageguard_greetings"))
                .isEqualTo("first!,glad to be here");
        assertThat(visitors.query("SHOW CREATE TABLE wp_hello_stageguard_greetings", 2))
                .as("the migration is undone")
                .doesNotContain("mood");
        assertThat(visitors.query("SELECT COUNT(*) FROM wp_options WHERE option_name = 'hello_stageguard_db'"))
                .as("the upgrade routine's option is gone")
                .isEqualTo("0");
        assertThat((String) ReleaseDriver.variables(status).get("rollbackReport"))
                .contains("restored table wp_hello_stageguard_greetings (its schema was changed by the release)")
                .contains("kept 1 row(s) written on live since the backup in wp_hello_stageguard_greetings")
                .contains("kept 1 row(s) written on live since the backup in wp_comments")
                .contains("kept 1 row(s) written on live since the backup in wp_users")
                .containsPattern("removed 1 row\\(s\\) the deploy wrote in wp_options \\(option_id \\[\\d+\\]\\)")
                .doesNotContain("could NOT keep");
        assertThat(fetcher.get(demo.site().live().url("/")).body()).contains("Hello from Stageguard 1.0.0");
    }

    /** A release of hello-stageguard 1.1.0 pushed and verified, now in its watch window. */
    private String pushedAndWatched() {
        return pushedAndWatched("1.1.0");
    }

    private String pushedAndWatched(String version) {
        String release = driver().startRelease(QA_PATHS, version);
        driver().signOff(release);
        driver().confirmPlan(release);
        Awaitility.await("the watch window")
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> (List<String>) driver().status(release).get("step"),
                        step -> step != null && step.contains("Watch live"));
        return release;
    }

    private ResponseEntity<Map<String, Object>> rollback(String user, String release) {
        return driver().putLiveBack(user, release, "rollback", "checkout is broken");
    }

    private static Path liveMainFile() {
        return demo.site().live().wpContent().resolve("plugins/" + FixturePlugin.MAIN_FILE);
    }
}
