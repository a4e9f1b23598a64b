package io.stageguard.qa;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.clone.StagingAccess;
import io.stageguard.clone.StagingCloner;
import io.stageguard.clone.StagingSnapshot;
import io.stageguard.demo.LocalMariaDb;
import io.stageguard.demo.LocalWordPress;
import io.stageguard.site.DatabaseConnection;
import io.stageguard.site.PhpProperties;
import io.stageguard.site.Site;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.site.SiteQa;
import io.stageguard.site.UserFlow;
import io.stageguard.testsupport.QaFixtures;
import io.stageguard.update.Change;
import io.stageguard.update.ChangeInstaller;
import io.stageguard.update.ChangeType;
import io.stageguard.wordpress.PageFetcher;
import io.stageguard.wordpress.WordPressPhp;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Phase 3 against real parts: Debian's WordPress on MariaDB under php -S, headless Chromium, and
 * fixture plugins (src/test/resources/qa-fixtures) installed on live at 1.0.0 and updated on
 * staging to a 1.1.0 that shifts a layout, throws in JavaScript, logs a PHP warning, slows a page,
 * breaks the comment form, or changes nothing visible. Live also shows a clock that the site's
 * mask hides. The quality gate is the decision table deployed to the engine.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class BrowserQaTest {
    private static final ChangeInstaller INSTALLER = ChangeInstaller.with(new WordPressPhp(PhpProperties.defaults()));
    private static final List<String> FIXTURES = List.of(
            "sg-harmless",
            "sg-layout-shift",
            "sg-js-error",
            "sg-php-warning",
            "sg-slow-page",
            "sg-broken-comments",
            "sg-clock",
            "sg-pair-offer",
            "sg-pair-banner");
    private static final UserFlow COMMENT = new UserFlow(
            "post a comment",
            List.of(
                    new UserFlow.Step("visit", "/hello-world/", null, null, null, false),
                    new UserFlow.Step("fill", null, "#comment", "Checked by Stageguard", null, false),
                    new UserFlow.Step("fill", null, "#author", "Flow Tester", null, false),
                    new UserFlow.Step("fill", null, "#email", "flow@example.invalid", null, false),
                    new UserFlow.Step("submit", null, "#commentform", null, null, false),
                    new UserFlow.Step("expectText", null, null, null, "Your comment is awaiting moderation", false),
                    new UserFlow.Step("expectMail", null, null, null, "Please moderate", false)));

    /** Tests send traffic nowhere but loopback; the comment avatars WordPress links to must not leave the machine. */
    private static final String ADMIN_PASSWORD = "qa-admin-pass";

    private static final String LOOPBACK_ONLY = "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1";

    @TempDir
    static Path work;

    static LocalMariaDb mariaDb;
    static LocalWordPress.PhpServer liveServer;
    static LocalWordPress.PhpServer stagingServer;
    static Site site;

    @Autowired
    BrowserQa qa;

    @Autowired
    CulpritFinder culprits;

    @Autowired
    StagingCloner cloner;

    @Autowired
    StagingAccess access;

    @Autowired
    StagingReference reference;

    @Autowired
    StagingSnapshot snapshots;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:qa;DB_CLOSE_DELAY=-1");
        registry.add("camunda.bpm.process-engine-name", () -> "qaTest");
        registry.add("camunda.bpm.job-execution.enabled", () -> "false");
        registry.add("stageguard.data-dir", () -> work.resolve("stageguard").toString());
        registry.add("stageguard.qa.max-pages", () -> "3");
        registry.add("stageguard.qa.host-resolver-rules", () -> LOOPBACK_ONLY);
    }

    @BeforeAll
    static void liveSiteWithFixturePlugins() throws Exception {
        mariaDb = LocalMariaDb.start(work.resolve("mariadb"));
        DatabaseConnection liveDb = mariaDb.createDatabase("qa_live", "qa_live", "live-pw-3", "wp_");
        DatabaseConnection stagingDb = mariaDb.createDatabase("qa_staging", "qa_staging", "staging-pw-4", "wp_");
        int livePort = LocalWordPress.freePort();
        int stagingPort = LocalWordPress.freePort();
        String live = "http://127.0.0.1:" + livePort;
        Path liveRoot = work.resolve("live");
        LocalWordPress.install(liveRoot, live, liveDb, "QA shop", ADMIN_PASSWORD);
        SiteEnvironment liveSite = new SiteEnvironment(live, liveRoot, liveDb);
        for (String slug : FIXTURES)
            INSTALLER.install(
                    liveSite,
                    new Change(
                            ChangeType.PLUGIN, slug, "1.0.0", zip(slug, "1.0.0").toString()),
                    true);
        site = new Site(
                "qa-shop",
                liveSite,
                new SiteEnvironment("http://127.0.0.1:" + stagingPort, work.resolve("staging"), stagingDb),
                new SiteQa(
                        List.of(".sg-clock"), List.of(COMMENT), new SiteQa.AdminScreens("admin", ADMIN_PASSWORD, null)),
                null);
        liveServer = LocalWordPress.serve(liveRoot, livePort);
        try (PageFetcher warmUp = new PageFetcher()) {
            warmUp.get(live + "/"); // a site that has had visitors has already written its rewrite rules
        }
        stagingServer = LocalWordPress.serve(site.staging().documentRoot(), stagingPort);
    }

    @AfterAll
    static void stop() {
        if (stagingServer != null) stagingServer.close();
        if (liveServer != null) liveServer.close();
        if (mariaDb != null) mariaDb.close();
    }

    private static Path zip(String slug, String version) throws IOException {
        return QaFixtures.zip(slug, version, work.resolve("packages"));
    }

    private static List<Change> updates(String... slugs) throws IOException {
        List<Change> changes = new ArrayList<>();
        for (String slug : slugs)
            changes.add(new Change(
                    ChangeType.PLUGIN, slug, "1.1.0", zip(slug, "1.1.0").toString()));
        return changes;
    }

    /**
     * Staging as phases 1 and 2 leave it: freshly cloned from live, its snapshot taken, looked at
     * before the changes (the reference QA judges by, and the clone check, which this returns), the
     * changes applied.
     */
    private QaReport stagingWith(String release, List<String> qaPaths, List<Change> changes) throws Exception {
        cloner.cloneFiles(site, access.tokenSha256(site.id()));
        cloner.cloneDatabase(site);
        snapshots.take(site, release, 1);
        QaReport cloneCheck = reference.capture(release, 1, site, qaPaths);
        for (Change change : changes)
            INSTALLER.install(site.staging(), change, ChangeInstaller.newOnLive(site, change));
        return cloneCheck;
    }

    private static Map<String, String> culpritsByKind(QaReport report) {
        return report.findings().stream()
                .collect(Collectors.toMap(
                        f -> f.kind().label() + " " + f.where() + (f.viewport() == null ? "" : " " + f.viewport()),
                        f -> String.valueOf(f.culprit()),
                        (a, b) -> a + " | " + b));
    }

    @Test
    void aHarmlessUpdateAndANewPluginPassWithNoFindingAndTheMaskedClockIsNotAChange(
            org.springframework.boot.test.system.CapturedOutput output) throws Exception {
        List<Change> changes = new ArrayList<>(updates("sg-harmless"));
        changes.add(new Change(
                ChangeType.PLUGIN,
                "sg-new-helper",
                "1.0.0",
                zip("sg-new-helper", "1.0.0").toString()));
        stagingWith("rel-harmless", List.of("/"), changes);
        // a plugin the release adds arrives active, its activation hook run, so QA tests it working
        assertThat(
                        mariaDb.sql(
                                "SELECT option_value FROM qa_staging.wp_options WHERE option_name IN ('active_plugins', 'sg_new_helper_activated') ORDER BY option_name"))
                .contains("sg-new-helper/sg-new-helper.php")
                .endsWith("yes\n");
        QaReport report = qa.run("rel-harmless", 1, site, changes);

        assertThat(report.findings()).isEmpty();
        assertThat(report.verdict()).isEqualTo(QaVerdict.PASS);
        // discovered from the live site's menu and sitemap, up to the cap of 3
        assertThat(report.pages())
                .extracting(QaReport.PageResult::path)
                .hasSize(3)
                .first()
                .isEqualTo("/");
        assertThat(report.pages()).extracting(QaReport.PageResult::path).contains("/sample-page/");
        assertThat(report.pages())
                .allSatisfy(p -> assertThat(p.shots())
                        .extracting(QaReport.Shot::viewport)
                        .containsExactly("desktop", "phone"));
        // the site's own flow, and the checks every site gets where live offers them
        assertThat(report.flows())
                .extracting(QaReport.FlowResult::name)
                .containsExactly(
                        "post a comment",
                        "the login form renders",
                        "the search returns results",
                        "the comment form takes a comment");
        assertThat(report.flows())
                .allSatisfy(f -> assertThat(f.passed()).as(f.toString()).isTrue());
        assertThat(report.adminScreens())
                .extracting(QaReport.AdminResult::path)
                .containsExactly("/wp-admin/", "/wp-admin/plugins.php");
        assertThat(report.adminScreens()).allSatisfy(a -> {
            assertThat(a.rendered()).as(a.toString()).isTrue();
            assertThat(a.phpFatal()).isFalse();
        });
        Path dir = work.resolve("stageguard/reports/rel-harmless/round-1");
        assertThat(dir.resolve("index.html"))
                .content()
                .contains("Passed")
                .contains("post a comment")
                .contains("page-1-phone.png")
                .contains("before/page-1-staging-phone.png");
        assertThat(dir.resolve("report.json")).content().contains("\"verdict\" : \"pass\"");
        assertThat(output.getAll())
                .as("the flows ask for captured mail without the database driver logging a missing table at every step")
                .doesNotContain("stageguard_mail' doesn't exist");
        BufferedImage phone = ImageIO.read(dir.resolve("page-1-phone.png").toFile());
        assertThat(phone.getWidth()).isLessThan(500);

        // the clock does change on its own: without the mask two renderings of the same live page differ
        QaProperties props =
                new QaProperties(null, null, null, null, null, null, null, null, null, null, null, LOOPBACK_ONLY);
        try (Browser browser = new Browser(props)) {
            QaProperties.Viewport desktop = props.viewports().get(0);
            byte[] first = browser.capture(site.live().url("/"), List.of(desktop), List.of())
                    .png(desktop);
            byte[] second = browser.capture(site.live().url("/"), List.of(desktop), List.of())
                    .png(desktop);
            assertThat(ScreenshotComparer.compare(image(first), image(second)).differingPixels())
                    .isPositive();
        }
    }

    @Test
    void problemsWithAFilePathAreFoundAndPinnedOnTheirPlugin() throws Exception {
        List<Change> changes = updates("sg-harmless", "sg-js-error", "sg-php-warning");
        stagingWith("rel-paths", List.of("/"), changes);
        QaReport report = qa.run("rel-paths", 1, site, changes);

        assertThat(report.verdict()).isEqualTo(QaVerdict.FAIL);
        assertThat(report.findings())
                .filteredOn(f -> f.kind() == FindingKind.CONSOLE)
                .isNotEmpty()
                .allSatisfy(f -> {
                    assertThat(f.message()).contains("sg-js-error cannot start");
                    assertThat(f.culprit()).isEqualTo("plugin sg-js-error 1.1.0");
                    assertThat(f.attributedBy()).isEqualTo(Attribution.BY_PATH);
                });
        assertThat(report.findings())
                .filteredOn(f -> f.kind() == FindingKind.CONSOLE)
                .extracting(QaReport.Finding::where)
                .as("the script also breaks in the admin, which only staging is logged into")
                .contains("/", "/wp-admin/", "/wp-admin/plugins.php");
        assertThat(report.findings())
                .filteredOn(f -> f.kind() == FindingKind.PHP_WARNING)
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.message())
                            .contains("Undefined array key \"greeting\"")
                            .contains("sg-php-warning.php");
                    assertThat(f.culprit()).isEqualTo("plugin sg-php-warning 1.1.0");
                });
        assertThat(report.findings()).noneMatch(f -> String.valueOf(f.culprit()).contains("sg-harmless"));
        assertThat(report.findings()).noneMatch(f -> f.kind() == FindingKind.VISUAL || f.kind() == FindingKind.FLOW);
        assertThat(BrowserQa.needsBisection(report)).isFalse();
        assertThat(report.reasons())
                .anyMatch(r -> r.contains("console errors"))
                .anyMatch(r -> r.contains("PHP warnings"));
    }

    @Test
    void problemsWithoutAFilePathArePinnedOnTheirPluginByTheCulpritSearch() throws Exception {
        List<Change> changes = updates("sg-harmless", "sg-layout-shift", "sg-slow-page", "sg-broken-comments");
        stagingWith("rel-bisect", List.of("/", "/sample-page/"), changes);
        QaReport report = qa.run("rel-bisect", 1, site, changes);

        assertThat(report.verdict()).isEqualTo(QaVerdict.FAIL);
        assertThat(culpritsByKind(report))
                .containsOnlyKeys(
                        "visual /sample-page/ desktop",
                        "visual /sample-page/ phone",
                        "performance /sample-page/",
                        "flow post a comment",
                        "flow the comment form takes a comment");
        assertThat(report.flows())
                .filteredOn(f -> f.name().equals("post a comment"))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.passed()).isFalse();
                    assertThat(f.steps()).last().satisfies(s -> {
                        assertThat(s.step()).contains("awaiting moderation");
                        assertThat(work.resolve("stageguard/reports/rel-bisect/round-1")
                                        .resolve(s.screenshot()))
                                .exists();
                    });
                });
        assertThat(BrowserQa.needsBisection(report)).isTrue();

        QaReport searched = culprits.find(report, site, changes);

        assertThat(culpritsByKind(searched))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "visual /sample-page/ desktop", "plugin sg-layout-shift 1.1.0",
                        "visual /sample-page/ phone", "plugin sg-layout-shift 1.1.0",
                        "performance /sample-page/", "plugin sg-slow-page 1.1.0",
                        "flow post a comment", "plugin sg-broken-comments 1.1.0",
                        "flow the comment form takes a comment", "plugin sg-broken-comments 1.1.0"));
        assertThat(searched.findings()).allMatch(f -> f.attributedBy().equals(Attribution.BY_BISECTION));
        // the control, the halves {harmless, layout-shift} and {slow-page, broken-comments}, then each of their changes
        assertThat(searched.culpritSearch().trials())
                .hasSize(7)
                .first()
                .asString()
                .startsWith("no change (the control) -> no problem");
        assertThat(searched.culpritSearch().summary()).contains("named the culprit of 5 of 5");
        // staging is left as QA saw it: every change applied
        assertThat(site.staging()
                        .documentRoot()
                        .resolve("wp-content/plugins/sg-broken-comments/sg-broken-comments.php"))
                .content()
                .contains("Version: 1.1.0");
    }

    /**
     * The machine is busy (processes spinning on every core, as other sites' jobs would) while QA
     * and the culprit search run over a harmless update and one that shifts the layout: the busy
     * machine makes pages answer slower unevenly, which is noise, so no plugin is named for time.
     */
    @Test
    void onABusyMachineNoUnchangedPluginIsNamedForTime() throws Exception {
        List<Change> changes = updates("sg-harmless", "sg-layout-shift");
        stagingWith("rel-busy", List.of("/", "/sample-page/"), changes);
        List<Process> burners = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) burners.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
            QaReport report = qa.run("rel-busy", 1, site, changes);
            QaReport searched = BrowserQa.needsBisection(report) ? culprits.find(report, site, changes) : report;

            assertThat(searched.findings())
                    .filteredOn(f -> f.kind() == FindingKind.PERFORMANCE)
                    .as("slowdowns on a busy machine")
                    .allSatisfy(f -> assertThat(f.culprit()).as(f.message()).isNull());
            assertThat(culpritsByKind(searched))
                    .containsEntry("visual /sample-page/ desktop", "plugin sg-layout-shift 1.1.0");
        } finally {
            burners.forEach(Process::destroyForcibly);
        }
    }

    /**
     * Two updates that each change nothing alone: one offers a banner text, the other shows a tall
     * banner when something offers one. Only together do they push the sample page down; the
     * search tries the control and the halves (neither shows it), then pairs, and names the pair.
     * Between trials staging is put back to its snapshot: a comment written on live meanwhile
     * never reaches staging, which a re-clone would have brought over.
     */
    @Test
    void aProblemOnlyTwoChangesTogetherCauseIsPinnedOnThePair() throws Exception {
        List<Change> changes = updates("sg-pair-offer", "sg-harmless", "sg-pair-banner");
        stagingWith("rel-pair", List.of("/sample-page/"), changes);
        QaReport report = qa.run("rel-pair", 1, site, changes);
        assertThat(culpritsByKind(report))
                .containsOnlyKeys("visual /sample-page/ desktop", "visual /sample-page/ phone");
        mariaDb.sql(
                "INSERT INTO qa_live.wp_options (option_name, option_value, autoload) VALUES ('sg_written_on_live_meanwhile', '1', 'no')");
        try {
            QaReport searched = culprits.find(report, site, changes);

            assertThat(culpritsByKind(searched))
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            "visual /sample-page/ desktop",
                                    "plugin sg-pair-offer 1.1.0 together with plugin sg-pair-banner 1.1.0",
                            "visual /sample-page/ phone",
                                    "plugin sg-pair-offer 1.1.0 together with plugin sg-pair-banner 1.1.0"));
            assertThat(searched.culpritSearch().trials())
                    .extracting(t -> t.replaceFirst(" -> .*", ""))
                    .containsExactly(
                            "no change (the control)",
                            "plugin sg-pair-offer 1.1.0",
                            "plugin sg-harmless 1.1.0, plugin sg-pair-banner 1.1.0",
                            "plugin sg-pair-offer 1.1.0, plugin sg-harmless 1.1.0",
                            "plugin sg-pair-offer 1.1.0, plugin sg-pair-banner 1.1.0");
            assertThat(searched.verdict()).isEqualTo(QaVerdict.FAIL);
            assertThat(mariaDb.sql(
                                    "SELECT COUNT(*) FROM qa_staging.wp_options WHERE option_name = 'sg_written_on_live_meanwhile'")
                            .strip())
                    .as("the trials ran on the snapshot, not on a new clone of live")
                    .isEqualTo("0");
            assertThat(site.staging().documentRoot().resolve("wp-content/plugins/sg-pair-banner/sg-pair-banner.php"))
                    .content()
                    .contains("Version: 1.1.0");
        } finally {
            mariaDb.sql("DELETE FROM qa_live.wp_options WHERE option_name = 'sg_written_on_live_meanwhile'");
        }
    }

    /**
     * A site flow that already fails on the fresh clone (the offer it expects is nowhere on the
     * site) fails in the round too, where the one change would take the blame. The culprit search
     * runs the control alone: the flow fails without the change, so it is "present before the
     * changes", not counted, and the harmless change passes.
     */
    @Test
    void aFlowThatFailsWithoutTheOnlyChangeIsNotBlamedOnIt() throws Exception {
        UserFlow offer = new UserFlow(
                "the sample page shows the offer",
                List.of(
                        new UserFlow.Step("visit", "/sample-page/", null, null, null, false),
                        new UserFlow.Step("expectText", null, null, null, "Free shipping this week", false)));
        Site withOfferFlow = new Site(
                site.id(), site.live(), site.staging(), new SiteQa(site.qa().masks(), List.of(offer), null), null);
        List<Change> changes = updates("sg-harmless");
        stagingWith("rel-failing-before", List.of("/sample-page/"), changes);
        QaReport report = qa.run("rel-failing-before", 1, withOfferFlow, changes);
        assertThat(culpritsByKind(report)).containsOnlyKeys("flow the sample page shows the offer");
        assertThat(report.findings())
                .singleElement()
                .extracting(QaReport.Finding::attributedBy)
                .isEqualTo(Attribution.BY_ONLY_CHANGE);
        assertThat(BrowserQa.needsBisection(report))
                .as("one change, but the control can still tell")
                .isTrue();

        QaReport searched = culprits.find(report, withOfferFlow, changes);

        assertThat(searched.findings()).singleElement().satisfies(f -> {
            assertThat(f.attributedBy()).isEqualTo(Attribution.PRESENT_BEFORE);
            assertThat(f.culprit()).isNull();
        });
        assertThat(searched.culpritSearch().trials())
                .singleElement()
                .asString()
                .startsWith("no change (the control) -> flow");
        assertThat(searched.verdict()).isNotEqualTo(QaVerdict.FAIL);
    }

    /**
     * Staging's copy of the database is sanitized, so the author archive names the author
     * differently there than on live. The change set is harmless: QA, which judges staging after
     * the changes against staging before them, blames nothing on it; the clone check, live against
     * staging before the changes, reports the difference as cloning's.
     */
    @Test
    void whatSanitizingChangedIsTheCloneChecksAndNeverBlamedOnAChange() throws Exception {
        List<Change> changes = updates("sg-harmless");
        QaReport cloneCheck = stagingWith("rel-sanitized", List.of("/author/admin/"), changes);
        QaReport report = qa.run("rel-sanitized", 1, site, changes);

        assertThat(cloneCheck.findings())
                .as("the clone shows another author name than live")
                .anyMatch(f -> f.where().equals("/author/admin/") && f.kind() == FindingKind.VISUAL);
        assertThat(cloneCheck.reasons())
                .singleElement()
                .asString()
                .contains("cloning or sanitizing, not the release")
                .contains("/author/admin/");
        assertThat(work.resolve("stageguard/reports/rel-sanitized/round-1/before/index.html"))
                .content()
                .contains("Clone check");
        assertThat(report.findings())
                .as("nothing is blamed on the harmless change")
                .isEmpty();
        assertThat(report.verdict()).isEqualTo(QaVerdict.PASS);
        assertThat(report.templates())
                .extracting(PageDiscovery.SampledPage::template)
                .contains("author archive");
    }

    private static BufferedImage image(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }
}
