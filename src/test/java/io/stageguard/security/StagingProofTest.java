package io.stageguard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stageguard.clone.CloneProperties;
import io.stageguard.clone.FileTreeCopier;
import io.stageguard.clone.StagingCloner;
import io.stageguard.clone.StagingSnapshot;
import io.stageguard.clone.StagingState;
import io.stageguard.demo.LocalMariaDb;
import io.stageguard.demo.LocalWordPress;
import io.stageguard.site.DatabaseConnection;
import io.stageguard.site.PhpProperties;
import io.stageguard.site.Site;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.site.registry.NotStagingException;
import io.stageguard.site.registry.StagingDatabaseMark;
import io.stageguard.site.registry.StagingProof;
import io.stageguard.support.Sha256;
import io.stageguard.testsupport.LiveSnapshot;
import io.stageguard.wordpress.PageFetcher;
import io.stageguard.wordpress.WordPressPhp;
import io.stageguard.wordpress.WordPressTables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a site definition could aim the clone's destructive steps (emptying a folder, dropping
 * tables) at live or at somebody else's data, tried against a real WordPress on a real MariaDB:
 * each is refused with the field and what it collides with, and nothing is written. The one
 * legitimate neighbour, staging in live's database under another prefix, works.
 */
class StagingProofTest {
    private static final WordPressPhp PHP = new WordPressPhp(PhpProperties.defaults());
    private static final String ACCESS = Sha256.of("staging-proof-test");

    @TempDir
    static Path work;

    static LocalMariaDb mariaDb;
    static SiteEnvironment live;
    static DatabaseConnection liveDb;
    static DatabaseConnection stagingDb;
    static LiveSnapshot liveBefore;
    /** Other registered sites, as the registry would list them. */
    static final List<Site> registered = new ArrayList<>();

    @BeforeAll
    static void liveSite() throws Exception {
        mariaDb = LocalMariaDb.start(work.resolve("mariadb"));
        liveDb = mariaDb.createDatabase("proof_live", "proof_live", "live-pw", "wp_");
        stagingDb = mariaDb.createDatabase("proof_staging", "proof_staging", "staging-pw", "wp_");
        Path liveRoot = work.resolve("live");
        String liveUrl = "http://127.0.0.1:" + LocalWordPress.freePort();
        LocalWordPress.install(liveRoot, liveUrl, liveDb, "Proof", "admin-pw");
        live = new SiteEnvironment(liveUrl, liveRoot, liveDb);
        liveBefore = LiveSnapshot.of(live);
    }

    @AfterEach
    void liveIsUntouched() throws Exception {
        assertThat(LiveSnapshot.of(live)).as("live after the attempt").isEqualTo(liveBefore);
        registered.clear();
    }

    @AfterAll
    static void stop() {
        mariaDb.close();
    }

    private static StagingCloner cloner(FileTreeCopier.Links links) {
        return new StagingCloner(
                new CloneProperties(null, null, null, false, false, links), new StagingProof(() -> registered), PHP);
    }

    private static StagingSnapshot snapshots() {
        return new StagingSnapshot(new StagingProof(() -> registered), cloner(null));
    }

    private static Site site(Path stagingRoot, DatabaseConnection db) {
        return new Site("proof", live, new SiteEnvironment("http://127.0.0.1:1/staging", stagingRoot, db));
    }

    private static void assertRefusedBoth(Site site, String field, String collision) {
        assertThat(new StagingProof(() -> registered).problems(site))
                .as("at registration")
                .containsKey(field)
                .hasEntrySatisfying(field, problem -> assertThat(problem).contains(collision));
    }

    @Test
    void aHostAliasOfLivesDatabaseIsRecognisedByTheServerAndNothingIsDropped() throws Exception {
        DatabaseConnection alias = new DatabaseConnection(
                "localhost", liveDb.port(), liveDb.name(), liveDb.user(), liveDb.password(), "wp_");
        Site site = site(work.resolve("alias-staging"), alias);
        assertRefusedBoth(site, "staging.database", "is live's database");
        assertThatThrownBy(() -> cloner(null).cloneDatabase(site))
                .isInstanceOf(NotStagingException.class)
                .hasMessageContaining("staging.database")
                .hasMessageContaining("'proof_live' with table prefix 'wp_'");
        // a staging folder that is Stageguard's own does not open live's tables to the snapshot's drops and copies
        Files.createDirectories(site.staging().documentRoot());
        StagingProof.mark(site.staging().documentRoot(), site);
        assertThatThrownBy(() -> snapshots().take(site, "rel-proof", 1))
                .isInstanceOf(NotStagingException.class)
                .hasMessageContaining("staging.database");
    }

    @Test
    void theSameDatabaseAndPrefixUnderAnotherUserIsRefused() throws Exception {
        mariaDb.sql(
                "CREATE USER IF NOT EXISTS 'sneaky'@'127.0.0.1' IDENTIFIED BY 'sneaky-pw'; GRANT ALL ON `proof_live`.* TO 'sneaky'@'127.0.0.1';");
        DatabaseConnection same =
                new DatabaseConnection("127.0.0.1", liveDb.port(), "proof_live", "sneaky", "sneaky-pw", "wp_");
        assertRefusedBoth(site(work.resolve("same-staging"), same), "staging.database", "is live's database");
        assertThatThrownBy(() -> cloner(null).cloneDatabase(site(work.resolve("same-staging"), same)))
                .isInstanceOf(NotStagingException.class);
    }

    @Test
    void anOverlappingPrefixInLivesDatabaseIsRefused() {
        DatabaseConnection overlapping = new DatabaseConnection(
                "127.0.0.1", liveDb.port(), "proof_live", liveDb.user(), liveDb.password(), "wp_staging_");
        assertRefusedBoth(
                site(work.resolve("overlap-staging"), overlapping), "staging.database", "overlapping table prefix");
    }

    @Test
    void aForeignWordPressDatabaseIsNeverEmptiedAndAStagingClonedBeforeMarksIsAdopted() throws Exception {
        // somebody's WordPress (or a database reached by mistake): tables under staging's prefix, and no staging mark
        DatabaseConnection foreign = mariaDb.createDatabase("proof_foreign", "proof_foreign", "foreign-pw", "wp_");
        mariaDb.sql("""
                CREATE TABLE proof_foreign.wp_options (option_id BIGINT PRIMARY KEY AUTO_INCREMENT, option_name VARCHAR(191), option_value LONGTEXT);
                INSERT INTO proof_foreign.wp_options (option_name, option_value) VALUES ('siteurl', 'https://shop.someone-else.example');
                CREATE TABLE proof_foreign.wp_posts (ID BIGINT PRIMARY KEY, post_title TEXT);
                INSERT INTO proof_foreign.wp_posts VALUES (1, 'Years of orders');
                """);
        Site site = site(work.resolve("foreign-db-staging"), foreign);
        assertThat(new StagingProof(() -> registered).problems(site))
                .as("nothing at registration tells it from an empty database")
                .isEmpty();
        assertThatThrownBy(() -> cloner(null).cloneDatabase(site))
                .isInstanceOf(NotStagingException.class)
                .hasMessageContaining("staging.database")
                .hasMessageContaining("holds 2 tables under prefix 'wp_' that Stageguard did not make for site 'proof'")
                .hasMessageContaining("its siteurl is https://shop.someone-else.example");
        try (Connection c = foreign.open()) {
            assertThat(WordPressTables.list(c, "wp_")).containsExactlyInAnyOrder("wp_options", "wp_posts");
        }
        assertThat(mariaDb.sql("SELECT post_title FROM proof_foreign.wp_posts")).contains("Years of orders");

        // a staging the clone wrote before databases were marked says so by its siteurl: it is adopted, marked and
        // refreshed
        mariaDb.sql("UPDATE proof_foreign.wp_options SET option_value = '"
                + site.staging().baseUrl() + "' WHERE option_name = 'siteurl'");
        cloner(null).cloneDatabase(site);
        assertThat(mariaDb.sql("SELECT site FROM proof_foreign.wp_" + StagingDatabaseMark.TABLE))
                .contains("proof");
        assertThat(mariaDb.sql("SELECT COUNT(*) FROM proof_foreign.wp_posts WHERE post_title = 'Years of orders'"))
                .contains("0");
        // and a mark of another site opens nothing
        mariaDb.sql("UPDATE proof_foreign.wp_" + StagingDatabaseMark.TABLE + " SET site = 'other'");
        assertThatThrownBy(() -> cloner(null).cloneDatabase(site))
                .isInstanceOf(NotStagingException.class)
                .hasMessageContaining("carries Stageguard's staging mark of site 'other'");
        assertThat(mariaDb.sql("SELECT option_value FROM proof_foreign.wp_options WHERE option_name = 'siteurl'"))
                .contains(site.staging().baseUrl());
    }

    @Test
    void aDatabaseTheProofCannotAskIsNotEmptiedWithoutStagingsMark() throws Exception {
        // another site's live database is the one staging names, reached through another host name, and its password no
        // longer works: the definitions' host names differ and the server cannot be asked; the mark's absence refuses
        DatabaseConnection unasked = mariaDb.createDatabase("proof_unasked", "proof_unasked", "unasked-pw", "wp_");
        mariaDb.sql(
                "CREATE TABLE proof_unasked.wp_orders (id INT PRIMARY KEY); INSERT INTO proof_unasked.wp_orders VALUES (7);");
        registered.add(new Site(
                "other",
                new SiteEnvironment(
                        "http://127.0.0.1:2",
                        Files.createDirectories(work.resolve("other-live-db")),
                        new DatabaseConnection(
                                "localhost",
                                unasked.port(),
                                "proof_unasked",
                                "proof_unasked",
                                "a-password-that-changed",
                                "wp_")),
                new SiteEnvironment("http://127.0.0.1:3", work.resolve("other-staging-db"), liveDb)));
        Site site = site(work.resolve("unasked-staging"), unasked);
        assertThat(new StagingProof(() -> registered).problems(site))
                .as("at registration the definitions are compared, and they differ")
                .isEmpty();
        assertThatThrownBy(() -> cloner(null).cloneDatabase(site))
                .isInstanceOf(NotStagingException.class)
                .hasMessageContaining(
                        "holds 1 tables under prefix 'wp_' that Stageguard did not make for site 'proof'");
        assertThat(mariaDb.sql("SHOW TABLES FROM proof_unasked")).isEqualTo("wp_orders\n");
        assertThat(mariaDb.sql("SELECT id FROM proof_unasked.wp_orders")).contains("7");
    }

    @Test
    void stagingInLivesDatabaseUnderItsOwnPrefixIsAllowedAndWorks() throws Exception {
        DatabaseConnection beside = new DatabaseConnection(
                "127.0.0.1", liveDb.port(), "proof_live", liveDb.user(), liveDb.password(), "wpstg0_");
        int port = LocalWordPress.freePort();
        Site site = new Site(
                "proof", live, new SiteEnvironment("http://127.0.0.1:" + port, work.resolve("beside-staging"), beside));
        assertThat(new StagingProof(() -> registered).problems(site)).isEmpty();
        StagingCloner cloner = cloner(null);
        cloner.cloneFiles(site, ACCESS);
        cloner.cloneDatabase(site);
        try (Connection c = beside.open()) {
            assertThat(WordPressTables.list(c, "wpstg0_")).contains("wpstg0_options", "wpstg0_posts");
        }
        try (LocalWordPress.PhpServer server =
                        LocalWordPress.serve(site.staging().documentRoot(), port);
                PageFetcher fetcher = new PageFetcher()) {
            assertThat(fetcher.get(server.baseUrl() + "/").status())
                    .as("staging answers, to strangers with the guard's 401")
                    .isEqualTo(401);
        }
        // a second clone (a refresh) replaces staging again: the marker proves it is Stageguard's own
        cloner.cloneFiles(site, ACCESS);
        cloner.cloneDatabase(site);
        try (Connection c = beside.open()) {
            assertThat(WordPressTables.list(c, "wp_"))
                    .as("live's tables are all still there")
                    .contains("wp_options", "wp_posts");
        }
        // the culprit search's snapshot sits beside live's tables under its own names, and goes with its release
        snapshots().take(site, "rel-beside", 1);
        snapshots().restore(site, "rel-beside", 1);
        try (Connection c = beside.open()) {
            assertThat(WordPressTables.list(c, "sgsnap_wpstg0_"))
                    .contains("sgsnap_wpstg0_options", "sgsnap_wpstg0_posts");
            assertThat(WordPressTables.list(c, "wpstg0_")).contains("wpstg0_options", "wpstg0_posts");
        }
        snapshots().discard(site, "rel-beside");
        try (Connection c = beside.open()) {
            assertThat(WordPressTables.list(c, "sgsnap_")).isEmpty();
        }
    }

    @Test
    void aStagingRootThatIsInsideOrContainsLivesIsRefusedBeforeAnythingIsRemoved() throws Exception {
        Path inside = live.documentRoot().resolve("wp-content/staging");
        Path containing = live.documentRoot().getParent();
        for (Path root : List.of(live.documentRoot(), inside, containing)) {
            Site site = site(root, stagingDb);
            assertThat(new StagingProof(() -> registered).problems(site)).containsKey("staging.documentRoot");
            assertThatThrownBy(() -> cloner(null).cloneFiles(site, ACCESS))
                    .isInstanceOf(NotStagingException.class)
                    .hasMessageContaining("live's document root");
            assertThatThrownBy(() ->
                            new StagingState(new StagingProof(() -> registered)).approved(site, "rel-proof", "dev"))
                    .as("the staging bar's state file is written into staging only")
                    .isInstanceOf(NotStagingException.class);
            assertThatThrownBy(() -> snapshots().take(site, "rel-proof", 1))
                    .as("the culprit search's snapshot is taken of staging only")
                    .isInstanceOf(NotStagingException.class);
        }
        // through a symlink too: the real path decides
        Path link = work.resolve("innocent-looking");
        Files.createSymbolicLink(link, live.documentRoot());
        assertThatThrownBy(() -> cloner(null).cloneFiles(site(link, stagingDb), ACCESS))
                .isInstanceOf(NotStagingException.class)
                .hasMessageContaining("is live's document root");
    }

    @Test
    void anotherSitesRootsAndAForeignFolderAreRefusedAndKeepTheirFiles() throws Exception {
        Path otherLive = Files.createDirectories(work.resolve("other-live"));
        Path otherStaging = Files.createDirectories(work.resolve("other-staging"));
        registered.add(new Site(
                "other",
                new SiteEnvironment("http://127.0.0.1:2", otherLive, liveDb),
                new SiteEnvironment("http://127.0.0.1:3", otherStaging, stagingDb)));
        assertThatThrownBy(() -> cloner(null).cloneFiles(site(otherLive, stagingDb), ACCESS))
                .isInstanceOf(NotStagingException.class)
                .hasMessageContaining("site 'other' live document root");
        assertThatThrownBy(() -> cloner(null).cloneFiles(site(otherStaging.resolve("sub"), stagingDb), ACCESS))
                .isInstanceOf(NotStagingException.class)
                .hasMessageContaining("site 'other' staging document root");

        Path foreign = Files.createDirectories(work.resolve("someones-folder"));
        Files.writeString(foreign.resolve("thesis.txt"), "years of work", StandardCharsets.UTF_8);
        Site site = site(foreign, stagingDb);
        assertRefusedBoth(site, "staging.documentRoot", "holds files Stageguard did not put there");
        assertThatThrownBy(() -> cloner(null).cloneFiles(site, ACCESS)).isInstanceOf(NotStagingException.class);
        assertThat(foreign.resolve("thesis.txt")).hasContent("years of work");
        assertThat(foreign).isDirectoryNotContaining("glob:**/wp-*");
    }

    @Test
    void aMarkerOfAnotherSiteDoesNotOpenAFolder() throws Exception {
        Path folder = Files.createDirectories(work.resolve("marked-for-other"));
        Files.writeString(folder.resolve(StagingProof.MARKER), "site=other\n");
        Files.writeString(folder.resolve("index.php"), "<?php // other's staging");
        assertThatThrownBy(() -> cloner(null).cloneFiles(site(folder, stagingDb), ACCESS))
                .isInstanceOf(NotStagingException.class)
                .hasMessageContaining("no " + StagingProof.MARKER + " for site 'proof'");
        assertThat(folder.resolve("index.php")).exists();
    }

    @Test
    void aForeignFolderWhereTheCloneBuildsStagingIsNeitherEmptiedNorReplaced() throws Exception {
        // the clone builds staging in .<root>.stageguard-next beside the root; somebody else's folder of that name
        // stays as it is
        Path root = work.resolve("beside-foreign");
        Path inTheWay = Files.createDirectories(work.resolve(".beside-foreign.stageguard-next"));
        Files.writeString(inTheWay.resolve("notes.txt"), "not Stageguard's");
        assertThatThrownBy(() -> cloner(null).cloneFiles(site(root, stagingDb), ACCESS))
                .isInstanceOf(NotStagingException.class)
                .hasMessageContaining("was not made by Stageguard for site 'proof'");
        assertThat(inTheWay.resolve("notes.txt")).hasContent("not Stageguard's");
        assertThat(root).doesNotExist();
    }

    @Test
    void aLiveConfigThatReadsTheDatabaseFromTheEnvironmentKeepsStagingFromBeingBuilt() throws Exception {
        Path envLive = work.resolve("env-live");
        Path liveConfig = live.documentRoot().resolve("wp-config.php");
        // a copy of live whose wp-config.php takes DB_NAME from getenv(), with live's name as the fallback, as
        // container images do
        FileTreeCopier.copy(live.documentRoot(), envLive, java.util.Set.of());
        Files.writeString(
                envLive.resolve("wp-config.php"),
                Files.readString(liveConfig)
                        .replace(
                                "define( 'DB_NAME', 'proof_live' );",
                                "define( 'DB_NAME', getenv('WORDPRESS_DB_NAME') ?: 'proof_live' );"));
        Site site = new Site(
                "proof",
                new SiteEnvironment(live.baseUrl(), envLive, liveDb),
                new SiteEnvironment("http://127.0.0.1:1/staging", work.resolve("env-staging"), stagingDb));
        assertThatThrownBy(() -> cloner(null).cloneFiles(site, ACCESS))
                .isInstanceOf(NotStagingException.class)
                .hasMessageContaining("staging wp-config.php DB_NAME")
                .hasMessageContaining("'proof_live' instead of 'proof_staging'");
        assertThat(work.resolve("env-staging")).doesNotExist();
        assertThat(work.resolve(".env-staging.stageguard-next")).doesNotExist();
    }

    @Test
    void aSymlinkOutOfLivesRootStopsTheCloneOrIsCopiedByConfiguration() throws Exception {
        Path shared = Files.createDirectories(work.resolve("shared-uploads"));
        Files.writeString(shared.resolve("logo.svg"), "<svg/>");
        Path linkedLive = work.resolve("linked-live");
        FileTreeCopier.copy(live.documentRoot(), linkedLive, java.util.Set.of());
        Files.createSymbolicLink(linkedLive.resolve("wp-content/uploads"), shared);
        Files.createSymbolicLink(linkedLive.resolve("wp-content/themes-link"), linkedLive.resolve("wp-content/themes"));
        Site site = new Site(
                "proof",
                new SiteEnvironment(live.baseUrl(), linkedLive, liveDb),
                new SiteEnvironment("http://127.0.0.1:1/staging", work.resolve("linked-staging"), stagingDb));

        assertThatThrownBy(() -> cloner(null).cloneFiles(site, ACCESS))
                .hasMessageContaining("wp-content/uploads")
                .hasMessageContaining("staging is unchanged");
        assertThat(work.resolve("linked-staging")).doesNotExist();

        cloner(FileTreeCopier.Links.COPY_LEAVING).cloneFiles(site, ACCESS);
        Path uploads = work.resolve("linked-staging/wp-content/uploads");
        assertThat(Files.isSymbolicLink(uploads))
                .as("a real folder on staging, not a way into the shared one")
                .isFalse();
        assertThat(uploads.resolve("logo.svg")).hasContent("<svg/>");
        Path themes = work.resolve("linked-staging/wp-content/themes-link");
        assertThat(themes.toRealPath())
                .as("a link inside the tree points inside staging's copy")
                .isEqualTo(work.resolve("linked-staging/wp-content/themes").toRealPath());
    }
}
