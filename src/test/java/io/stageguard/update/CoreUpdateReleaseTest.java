package io.stageguard.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.site.Site;
import io.stageguard.site.SiteCaches;
import io.stageguard.testsupport.LiveSnapshot;
import io.stageguard.testsupport.QaFixtures;
import io.stageguard.testsupport.ReleaseDriver;
import io.stageguard.testsupport.ReleasingApplicationTest;
import io.stageguard.testsupport.WordPressReleases;
import io.stageguard.wordpress.PageFetcher;
import io.stageguard.wordpress.SiteInventoryReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Phase 2's core update, released through every phase: Debian's WordPress 6.1.9 on live updated
 * to a real 6.5.5 release zip on staging, QA'd, signed off and pushed; live ends on 6.5.5 with its
 * database upgraded and its content intact, and a restore after the release puts 6.1.9 back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CoreUpdateReleaseTest extends ReleasingApplicationTest {
    private static final List<String> QA_PATHS = List.of("/", "/sample-page/");
    private static Path wordpress655;
    private static LiveSnapshot beforeRelease;
    private static String release;

    @Autowired
    PageFetcher fetcher;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeAll
    static void buildReleaseZip() throws Exception {
        wordpress655 = WordPressReleases.zip("6.5", work.resolve("core"));
    }

    @BeforeEach
    void registerSite() {
        registerAcme(SiteCaches.NONE);
    }

    private Site site() {
        return demo.site();
    }

    @Test
    @Order(1)
    void aCorePackageThatIsNotWhatItSaysOrNeedsMoreThanTheSiteHasIsRefusedBeforeAnythingIsApplied() throws Exception {
        assertThat(errors(start(core("6.4.5", wordpress655))))
                .containsEntry("changes[0].package", "is WordPress 6.5.5, not 6.4.5");
        Path plugin = QaFixtures.zip("sg-new-helper", "1.0.0", work.resolve("packages"));
        assertThat(errors(start(core("6.5.5", plugin))).get("changes[0].package"))
                .startsWith("is not a wordpress.org release: entry sg-new-helper/");
        Path tooNew = WordPressReleases.zip(
                "6.5",
                work.resolve("core"),
                "-needs-php-99",
                php -> php.replace("$required_php_version = '7.0.0'", "$required_php_version = '99.0.0'"));
        assertThat(errors(start(core("6.5.5", tooNew))).get("changes[0]"))
                .startsWith("WordPress 6.5.5 requires PHP 99.0.0; the site runs 8.");
        assertThat(SiteInventoryReader.wordpressVersion(site().live().documentRoot()))
                .isEqualTo("6.1.9");
    }

    @Test
    @Order(2)
    void wordPress619IsUpdatedTo655OnStagingAndReleasedToLiveThroughEveryPhase() throws Exception {
        String content = "posts WHERE post_status = 'publish' AND post_type IN ('post', 'page')";
        long posts = count(content);
        // files of the site's own named like core's, and one core file WordPress dropped long ago (in its $_old_files)
        Path liveRoot = site().live().documentRoot();
        Files.writeString(
                liveRoot.resolve("wp-config-local.php"), "<?php define( 'WP_ENVIRONMENT_TYPE', 'production' );");
        Files.writeString(liveRoot.resolve("wp-salt.php"), "<?php // the site's own salts");
        Files.writeString(liveRoot.resolve("wp-app.php"), "<?php // AtomPub, removed from WordPress in 3.5");
        beforeRelease = LiveSnapshot.of(site().live());
        ResponseEntity<Map<String, Object>> started = start(core("6.5.5", wordpress655));
        assertThat(started.getStatusCode()).as("%s", started.getBody()).isEqualTo(HttpStatus.CREATED);
        release = (String) started.getBody().get("releaseId");
        ReleaseDriver driver = driver();

        driver.awaitTask(release, "Task_DeveloperSignoff");
        assertThat(SiteInventoryReader.wordpressVersion(site().staging().documentRoot()))
                .isEqualTo("6.5.5");
        assertThat(SiteInventoryReader.wordpressVersion(site().live().documentRoot()))
                .as("live before sign-off")
                .isEqualTo("6.1.9");
        assertThat(jdbc.queryForObject(
                        "select outcome from sg_applied_change where release_id = ?", String.class, release))
                .startsWith(
                        "WordPress 6.1.9 → 6.5.5, db_version 53496 → 57155, added wp-content/themes/twentytwentyfour, removed ")
                .endsWith(" file(s) the new version no longer has");
        assertThat(jdbc.queryForObject(
                        "select integrity from sg_applied_change where release_id = ?", String.class, release))
                .as("every core file on staging is the package's")
                .matches("\\d+ file\\(s\\) match the package");
        driver.signOff(release);
        driver.confirmPlan(release);

        Map<String, Object> status = driver.awaitEnd(release);
        assertThat(status.get("outcome"))
                .as("%s", ReleaseDriver.variables(status))
                .isEqualTo("Released");
        Path live = site().live().documentRoot();
        assertThat(SiteInventoryReader.wordpressVersion(live)).isEqualTo("6.5.5");
        assertThat(option("db_version")).isEqualTo("57155");
        assertThat(live.resolve(".maintenance")).doesNotExist();
        assertThat(live.resolve(".stageguard-next-core")).doesNotExist();
        assertThat(live.resolve("wp-content/themes/twentytwentyfour/style.css"))
                .as("a bundled theme newer than 6.1.9")
                .exists();
        assertThat(live.resolve("wp-includes/wlwmanifest.xml"))
                .as("dropped in 6.3, one of $_old_files")
                .doesNotExist();
        assertThat(live.resolve("wp-includes/Requests/Auth.php"))
                .as("Requests 1 went in 6.2")
                .doesNotExist();
        assertThat(live.resolve("wp-config.php"))
                .as("the site's configuration is its own")
                .exists();
        assertThat(live.resolve("wp-config-local.php"))
                .as("the site's own, though named like core (review 954a1fc, M8)")
                .exists();
        assertThat(live.resolve("wp-salt.php")).exists();
        assertThat(live.resolve("wp-app.php"))
                .as("WordPress's own old file, in its $_old_files")
                .doesNotExist();
        assertThat(count(content)).as("content intact").isEqualTo(posts);
        PageFetcher.Page front = fetcher.get(site().live().url("/"));
        assertThat(front.status()).isEqualTo(200);
        assertThat(front.body()).contains("Hello from Stageguard").contains("ver=6.5.5");
        PageFetcher.Page login = fetcher.get(site().live().url("/wp-login.php"));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body()).contains("id=\"user_login\"");
        @SuppressWarnings("unchecked")
        List<String> deployed = (List<String>) ReleaseDriver.variables(status).get("deployedChanges");
        assertThat(deployed)
                .singleElement()
                .asString()
                .startsWith("WordPress core 6.5.5 (WordPress 6.1.9 → 6.5.5, db_version 53496 → 57155");
        assertThat((String) ReleaseDriver.variables(status).get("servedCode")).contains("core wordpress=6.5.5");
    }

    @Test
    @Order(3)
    void anOlderCorePackageIsADowngradeAndRefusedUnlessAskedFor() throws Exception {
        Path wordpress645 = WordPressReleases.zip("6.4", work.resolve("core"));
        assertThat(errors(start(core("6.4.5", wordpress645))).get("changes[0]"))
                .isEqualTo(
                        "WordPress 6.4.5 is older than the installed 6.5.5; a downgrade needs \"allowDowngrade\": true");
    }

    @Test
    @Order(4)
    void restoringTheReleasePutsWordPress619BackWithItsDatabase() throws Exception {
        ResponseEntity<Map<String, Object>> accepted =
                driver().putLiveBack("ci", release, "restore", "the editor confuses our authors");
        assertThat(accepted.getStatusCode()).as("%s", accepted.getBody()).isEqualTo(HttpStatus.ACCEPTED);
        Map<String, Object> status =
                driver().awaitEnd((String) accepted.getBody().get("restoreId"));
        assertThat(status.get("outcome"))
                .as("%s", ReleaseDriver.variables(status))
                .isEqualTo("Live restored");
        assertThat(SiteInventoryReader.wordpressVersion(site().live().documentRoot()))
                .isEqualTo("6.1.9");
        assertThat(option("db_version")).isEqualTo("53496");
        assertThat(site().live().documentRoot().resolve("wp-content/themes/twentytwentyfour"))
                .as("added by the update")
                .doesNotExist();
        // the one row left is the fallback navigation menu 6.5's navigation block wrote on its first render after the
        // push (the
        // verification's): written after the deploy, it is kept like a visitor's row, and 6.1.9 knows wp_navigation
        // posts too
        assertThat(LiveSnapshot.of(site().live()).differencesFrom(beforeRelease))
                .as("live after the restore")
                .allMatch(d ->
                        d.startsWith("row added in wp_posts: ") && d.contains("<!-- wp:page-list /-->␟Navigation␟"));
        assertThat(fetcher.get(site().live().url("/wp-login.php")).status()).isEqualTo(200);
    }

    private static Map<String, Object> core(String version, Path zip) {
        return Map.of("type", "core", "version", version, "package", zip.toString());
    }

    private ResponseEntity<Map<String, Object>> start(Map<String, Object> change) {
        Map<String, Object> body = Map.of("siteId", "acme", "qaPaths", QA_PATHS, "changes", List.of(change));
        return rest.withBasicAuth("ci", "ci")
                .exchange(
                        "/api/releases",
                        HttpMethod.POST,
                        new HttpEntity<>(body),
                        new ParameterizedTypeReference<>() {});
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> errors(ResponseEntity<Map<String, Object>> answer) {
        assertThat(answer.getStatusCode()).as("%s", answer.getBody()).isEqualTo(HttpStatus.BAD_REQUEST);
        return (Map<String, String>) answer.getBody().get("errors");
    }

    private String option(String name) throws Exception {
        return demo.mariaDb()
                .sql("SELECT option_value FROM live_wp.wp_options WHERE option_name = '" + name + "'")
                .strip();
    }

    private long count(String where) throws Exception {
        return Long.parseLong(
                demo.mariaDb().sql("SELECT COUNT(*) FROM live_wp.wp_" + where).strip());
    }
}
