package io.stageguard.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.demo.FixturePlugin;
import io.stageguard.site.SiteCaches;
import io.stageguard.support.Sha256;
import io.stageguard.testsupport.LiveVisitors;
import io.stageguard.testsupport.OwnPagesQa;
import io.stageguard.testsupport.ReleaseDriver;
import io.stageguard.testsupport.ReleasingApplicationTest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * Phase 6's restore path after a release has ended: two releases reach live, visitors write after
 * the second; the older one cannot be restored while the newer one builds on it, the newer one is
 * restored keeping what visitors wrote and undoing its migration, then the older one, and neither
 * twice.
 */
@OwnPagesQa
class RestoreAfterReleaseTest extends ReleasingApplicationTest {
    private static final List<String> QA_PATHS = List.of("/", "/sample-page/");

    @Autowired
    RestoreAfterRelease restorePath;

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @Autowired
    io.stageguard.rollback.LiveBackup backups;

    @Autowired
    io.stageguard.release.ReleaseRecords records;

    @Test
    void aReleasedReleaseIsRestoredWithinItsWindowKeepingWhatLiveWroteSince() throws Exception {
        registerAcme(SiteCaches.NONE);
        LiveVisitors visitors = new LiveVisitors(demo);
        visitors.guestbookOfVersion1();
        Path pluginFolder = demo.site().live().wpContent().resolve("plugins/" + FixturePlugin.SLUG);
        String filesBefore = Sha256.ofTree(pluginFolder);

        String bolder = released("1.1.0");
        String filesOf110 = Sha256.ofTree(pluginFolder);
        String guestbook = released("1.4.0");
        // a day of visitors after 1.4.0 went out
        visitors.greet("a day after 1.4.0");
        visitors.comment("Still here after 1.4.0");
        visitors.signUp("lateregistrant");
        visitors.editTaglineAndFirstPostTitle("Edited after 1.4.0", "Hello, edited world");
        // the restore is asked for three days after both pushes
        jdbc.update(
                "update sg_backup set deploy_started_at = dateadd('DAY', -3, deploy_started_at) where release_id in (?, ?)",
                bolder,
                guestbook);

        ResponseEntity<Map<String, Object>> blocked = restore("ci", bolder);
        assertThat(blocked.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(errors(blocked).get("releaseId"))
                .isEqualTo("release " + guestbook + " was pushed to live after release " + bolder
                        + " and builds on it: restore " + guestbook + " first");
        assertThat(restore("client", guestbook).getStatusCode())
                .as("clients ask the developers")
                .isEqualTo(HttpStatus.FORBIDDEN);

        Map<String, Object> first = restored(guestbook);
        assertThat(Sha256.ofTree(pluginFolder)).as("1.1.0's files are back").isEqualTo(filesOf110);
        assertThat((String) ReleaseDriver.variables(first).get("restoreRequest"))
                .startsWith("restore of release " + guestbook + "'s pre-release backup, requested by ci at ")
                .endsWith(": the footer confuses readers");
        assertThat(visitors.query("SHOW CREATE TABLE wp_hello_stageguard_greetings", 2))
                .as("1.4.0's migration is undone")
                .doesNotContain("mood");
        assertThat(visitors.query("SELECT GROUP_CONCAT(message ORDER BY id) FROM wp_hello_stageguard_greetings"))
                .isEqualTo("first!,a day after 1.4.0");
        assertThat(visitors.query("SELECT COUNT(*) FROM wp_comments WHERE comment_content = 'Still here after 1.4.0'"))
                .isEqualTo("1");
        assertThat(visitors.query("SELECT COUNT(*) FROM wp_users WHERE user_login = 'lateregistrant'"))
                .isEqualTo("1");
        assertThat(visitors.query("SELECT COUNT(*) FROM wp_options WHERE option_name = 'hello_stageguard_db'"))
                .isEqualTo("0");
        assertThat(visitors.query("SELECT option_value FROM wp_options WHERE option_name = 'blogdescription'"))
                .as("the tagline edited since")
                .isEqualTo("Edited after 1.4.0");
        assertThat(visitors.query("SELECT post_title FROM wp_posts WHERE ID = 1"))
                .isEqualTo("Hello, edited world");
        assertThat((String) ReleaseDriver.variables(first).get("rollbackReport"))
                .contains("restored wp-content/plugins/hello-stageguard (swapped back in one step)")
                .contains("restored table wp_hello_stageguard_greetings (its schema was changed by the release)")
                .contains("kept 1 row(s) written on live since the backup in wp_hello_stageguard_greetings")
                .contains("kept live's edit of wp_posts ID=1 (column(s) post_title")
                .contains("wp_options as it was before the rollback is kept as sgpre");
        assertThat((String) ReleaseDriver.variables(first).get("restoredLiveVerification"))
                .isNotBlank();

        assertThat(restore("otherclient", bolder).getStatusCode())
                .as("no part in acme")
                .isEqualTo(HttpStatus.FORBIDDEN);
        restored(bolder, "dev");
        assertThat(Sha256.ofTree(pluginFolder))
                .as("the files from before both releases, restored by one of acme's developers")
                .isEqualTo(filesBefore);
        assertThat(visitors.query("SELECT COUNT(*) FROM wp_users WHERE user_login = 'lateregistrant'"))
                .isEqualTo("1");
        assertThat(visitors.query("SELECT option_value FROM wp_options WHERE option_name = 'blogdescription'"))
                .isEqualTo("Edited after 1.4.0");

        ResponseEntity<Map<String, Object>> again = restore("ci", guestbook);
        assertThat(again.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(errors(again).get("releaseId"))
                .startsWith("the backup of release " + guestbook + " was already restored at ");
    }

    @Test
    void aReleaseOlderThanTheRestoreWindowOrThatNeverWroteToLiveIsNotRestorable() throws Exception {
        registerAcme(SiteCaches.NONE);
        String release = released("1.1.0");
        assertThat(restorePath.whyNot(release, "acme", Instant.now())).isEmpty();
        assertThat(restorePath.whyNot(release, "acme", Instant.now().plus(Duration.ofDays(15))))
                .get()
                .asString()
                .contains("longer ago than the restore window of 14 days (stageguard.backups.restorable-for)");
        assertThat(restore("client", "rel-nosuch").getStatusCode())
                .as("an unknown release, to someone without a part in it")
                .isEqualTo(HttpStatus.FORBIDDEN);
        ResponseEntity<Map<String, Object>> unknown = restore("ci", "rel-nosuch");
        assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(errors(unknown)).containsEntry("releaseId", "unknown release 'rel-nosuch'");

        String waiting = driver().startRelease(QA_PATHS, "1.4.0");
        driver().awaitTask(waiting, "Task_DeveloperSignoff");
        ResponseEntity<Map<String, Object>> refused = restore("ci", waiting);
        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(errors(refused).get("releaseId"))
                .isEqualTo("release " + waiting + " has no pre-release backup: it never reached the push to live");
        ResponseEntity<Map<String, Object>> busy = restore("ci", release);
        assertThat(busy.getStatusCode())
                .as("one release or restore per site at a time")
                .isEqualTo(HttpStatus.CONFLICT);
        assertThat(errors(busy).get("siteId")).contains("already has a release or staging refresh in progress");
    }

    /**
     * A release that failed before the deploy's first write (a package that changed after sign-off)
     * goes to the rollback with a verified backup of live; live was never changed, so the rollback
     * puts nothing back and undoes nothing live's people did since the backup.
     */
    @Test
    void aRollbackOfADeployThatNeverBeganRestoresNothing() throws Exception {
        registerAcme(SiteCaches.NONE);
        String release = "rel-neverdeployed";
        records.create(release, "acme", "ci");
        backups.create(release, demo.site(), List.of("wp-content/plugins/" + FixturePlugin.SLUG));
        assertThat(backups.verify(release)).isEmpty();
        LiveVisitors visitors = new LiveVisitors(demo);
        visitors.editTaglineAndFirstPostTitle("Edited after the backup", "Retitled after the backup");
        String pluginBefore = Sha256.ofTree(demo.site().live().wpContent().resolve("plugins/" + FixturePlugin.SLUG));

        assertThat(backups.restore(release, demo.site()))
                .containsExactly("the deploy never began, so live was not changed: nothing was restored");
        assertThat(visitors.query("SELECT option_value FROM wp_options WHERE option_name = 'blogdescription'"))
                .isEqualTo("Edited after the backup");
        assertThat(visitors.query("SELECT post_title FROM wp_posts WHERE ID = 1"))
                .isEqualTo("Retitled after the backup");
        assertThat(Sha256.ofTree(demo.site().live().wpContent().resolve("plugins/" + FixturePlugin.SLUG)))
                .isEqualTo(pluginBefore);
    }

    private String released(String version) {
        String release = driver().startRelease(QA_PATHS, version);
        driver().signOff(release);
        driver().confirmPlan(release);
        assertThat(driver().awaitEnd(release).get("outcome")).isEqualTo("Released");
        return release;
    }

    /** Restores the release over the API and waits for the restore to end; returns its status. */
    private Map<String, Object> restored(String release) {
        return restored(release, "ci");
    }

    private Map<String, Object> restored(String release, String user) {
        ResponseEntity<Map<String, Object>> accepted = restore(user, release);
        assertThat(accepted.getStatusCode()).as("%s", accepted.getBody()).isEqualTo(HttpStatus.ACCEPTED);
        String restoreId = (String) accepted.getBody().get("restoreId");
        assertThat(restoreId).startsWith("restore-");
        Map<String, Object> status = driver().awaitEnd(restoreId);
        assertThat(status.get("outcome")).isEqualTo("Live restored");
        return status;
    }

    private ResponseEntity<Map<String, Object>> restore(String user, String release) {
        return driver().putLiveBack(user, release, "restore", "the footer confuses readers");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> errors(ResponseEntity<Map<String, Object>> answer) {
        return (Map<String, String>) answer.getBody().get("errors");
    }
}
