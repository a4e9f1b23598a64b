package io.stageguard.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.demo.FixturePlugin;
import io.stageguard.rollback.DeployMarks;
import io.stageguard.rollback.LiveBackup;
import io.stageguard.site.DatabaseConnection;
import io.stageguard.site.Site;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.site.registry.SiteRegistry;
import io.stageguard.testsupport.DemoSiteApplicationTest;
import io.stageguard.testsupport.OwnPagesQa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The rollback rehearsed on real parts: the demo's live backed up, the backup restored into
 * scratch folders and scratch tables in staging's own database, compared with live as backed up.
 */
@OwnPagesQa
class RollbackRehearsalTest extends DemoSiteApplicationTest {
    private static final List<String> FOLDERS = List.of("wp-content/plugins/" + FixturePlugin.SLUG);

    @Autowired
    LiveBackup backup;

    @Autowired
    DeployMarks marks;

    @Autowired
    RollbackRehearsal rehearsal;

    @Autowired
    SiteRegistry sites;

    @DynamicPropertySource
    static void noReleasesRun(DynamicPropertyRegistry registry) {
        registry.add("camunda.bpm.job-execution.enabled", () -> "false");
    }

    @BeforeEach
    void registerSite() {
        sites.save(demo.site());
    }

    @Test
    void anIntactBackupRestoresIdenticallyAndTheRehearsalLeavesNothingBehind() throws Exception {
        String stagingTables = stagingTables();
        backup.create("rel-rehearsal-1", demo.site(), FOLDERS);
        assertThat(backup.verify("rel-rehearsal-1")).isEmpty();

        RollbackRehearsal.Result result = rehearsal.rehearse("rel-rehearsal-1", demo.site());
        assertThat(result.problems()).isEmpty();
        assertThat(result.notes())
                .as("staging has a database of its own: the dump was replayed")
                .isEmpty();
        assertThat(result.summary()).startsWith("the backup restores identically; restore took ");
        assertThat(stagingTables())
                .as("the scratch tables are gone, staging's own untouched")
                .isEqualTo(stagingTables);
        assertThat(work.resolve("stageguard/rehearsals/rel-rehearsal-1")).doesNotExist();
    }

    @Test
    void aBackupWithOneByteChangedInTheDumpOrAFileMissingIsCaught() throws Exception {
        backup.create("rel-rehearsal-2", demo.site(), FOLDERS);
        Path dir = backup.directoryOf("rel-rehearsal-2");
        Path dump = dir.resolve("database.sql");
        String sql = Files.readString(dump);
        assertThat(sql).contains("Hello world!");
        Files.writeString(dump, sql.replaceFirst("Hello world!", "Hellx world!"));
        Files.delete(dir.resolve("files/wp-content/plugins/" + FixturePlugin.MAIN_FILE));

        RollbackRehearsal.Result result = rehearsal.rehearse("rel-rehearsal-2", demo.site());
        assertThat(result.problems())
                .anyMatch(p -> p.equals(
                        "wp-content/plugins/" + FixturePlugin.SLUG + ": the backed-up files differ from live's"))
                .anyMatch(p -> p.startsWith("table posts: ") && p.endsWith("(same count, other content)"));
        assertThat(result.summary()).startsWith("the backup does NOT restore identically");
    }

    @Test
    void aNeighbourSiteSharingLivesDatabaseUnderALongerPrefixIsNeitherBackedUpNorTouchedByTheRestore()
            throws Exception {
        Site acme = demo.site();
        DatabaseConnection live = acme.live().database();
        // a shop on the same database as acme's live, its tables prefixed wp_shop_ (which starts with acme's wp_)
        sites.save(new Site(
                "shop",
                new SiteEnvironment(
                        "http://127.0.0.1:9",
                        work.resolve("shop"),
                        new DatabaseConnection(
                                live.host(), live.port(), live.name(), live.user(), live.password(), "wp_shop_")),
                new SiteEnvironment(
                        "http://127.0.0.1:8",
                        work.resolve("shop-staging"),
                        new DatabaseConnection(live.host(), live.port(), "shop_staging", "nobody", "x", "wp_"))));
        demo.mariaDb()
                .sql(
                        "CREATE TABLE live_wp.wp_shop_orders (id INT PRIMARY KEY, total INT); INSERT INTO live_wp.wp_shop_orders VALUES (1, 100);");
        try {
            backup.create("rel-neighbour", acme, FOLDERS);
            assertThat(Files.readString(backup.directoryOf("rel-neighbour").resolve("database.sql")))
                    .contains("`wp_posts`")
                    .doesNotContain("wp_shop_orders");
            // the shop sells something after acme's backup; then acme is rolled back
            demo.mariaDb().sql("INSERT INTO live_wp.wp_shop_orders VALUES (2, 250);");
            backup.restore("rel-neighbour", acme);
            assertThat(demo.mariaDb().sql("SELECT COUNT(*) FROM live_wp.wp_shop_orders"))
                    .as("the neighbour's order survives acme's rollback")
                    .isEqualTo("2\n");
        } finally {
            demo.mariaDb().sql("DROP TABLE IF EXISTS live_wp.wp_shop_orders;");
        }
    }

    @Test
    void whereStagingSharesLivesDatabaseNoScratchTableIsWrittenThereAndLiveIsUntouched() throws Exception {
        Site acme = demo.site();
        DatabaseConnection live = acme.live().database();
        // WP Staging's layout: staging's tables beside live's, in live's own database, under another prefix
        Site sharing = new Site(
                acme.id(),
                acme.live(),
                new SiteEnvironment(
                        acme.staging().baseUrl(),
                        acme.staging().documentRoot(),
                        new DatabaseConnection(
                                live.host(), live.port(), live.name(), live.user(), live.password(), "wpstg_")));
        String liveTables =
                demo.mariaDb().sql("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'live_wp'");
        String liveChecksum = demo.mariaDb().sql("CHECKSUM TABLE live_wp.wp_posts, live_wp.wp_options");
        backup.create("rel-rehearsal-shared", sharing, FOLDERS);

        RollbackRehearsal.Result result = rehearsal.rehearse("rel-rehearsal-shared", sharing);
        assertThat(result.problems()).isEmpty();
        assertThat(result.notes()).singleElement().asString().contains("staging shares live's database");
        assertThat(demo.mariaDb().sql("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'live_wp'"))
                .as("no scratch table in live's database")
                .isEqualTo(liveTables);
        assertThat(demo.mariaDb().sql("CHECKSUM TABLE live_wp.wp_posts, live_wp.wp_options"))
                .isEqualTo(liveChecksum);
    }

    @Test
    void aRetriedBackupIsTakenAfreshUntilTheDeployBeginsAndNeverReplacedAfter() throws Exception {
        Site acme = demo.site();
        Path main = acme.live().wpContent().resolve("plugins/" + FixturePlugin.MAIN_FILE);
        Path sums = backup.directoryOf("rel-retried").resolve("SHA256SUMS");
        String original = Files.readString(main);
        try {
            backup.create("rel-retried", acme, FOLDERS);
            String first = Files.readString(sums);
            Files.writeString(main, original + "\n// edited before the deploy began\n");
            backup.create("rel-retried", acme, FOLDERS);
            String second = Files.readString(sums);
            assertThat(second)
                    .as("before the deploy a retry takes the backup afresh: it is never older than the push")
                    .isNotEqualTo(first);
            assertThat(backup.verify("rel-retried")).isEmpty();

            marks.beforeDeploy("rel-retried", acme, backup.recordedTables("rel-retried"));
            Files.writeString(main, original + "\n// half-deployed\n");
            backup.create("rel-retried", acme, FOLDERS);
            assertThat(Files.readString(sums))
                    .as("once the deploy began, a retry keeps the first backup")
                    .isEqualTo(second);
            assertThat(backup.directoryOf("rel-retried").resolve("files/wp-content/plugins/" + FixturePlugin.MAIN_FILE))
                    .content()
                    .contains("edited before the deploy began")
                    .doesNotContain("half-deployed");
        } finally {
            Files.writeString(main, original);
        }
    }

    private static String stagingTables() throws Exception {
        return demo.mariaDb().sql("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'staging_wp'");
    }
}
