package io.stageguard.qa;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.clone.StagingAccess;
import io.stageguard.clone.StagingCloner;
import io.stageguard.demo.LocalMariaDb;
import io.stageguard.demo.LocalWordPress;
import io.stageguard.site.DatabaseConnection;
import io.stageguard.site.Site;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.wordpress.PageFetcher;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Phase 3's speed, measured against a plain baseline in the same run: QA of a 20-page site at two
 * viewports against loading each page on live and staging and taking one screenshot of each, with
 * nothing else (the least any screenshot comparison must do); and one perceptual comparison of a
 * 1366 x 5000 pair against an exact pixel-equality pass over the same pair. Run with
 * {@code ./stageguard bench}; figures go to target/benchmark/qa.txt.
 */
@Tag("benchmark")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class QaBenchmark {
    private static final int PAGES = 20;

    @TempDir
    static Path work;

    @Autowired
    BrowserQa qa;

    @Autowired
    StagingReference reference;

    @Autowired
    StagingCloner cloner;

    @Autowired
    StagingAccess access;

    @Autowired
    QaProperties properties;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:qabench;DB_CLOSE_DELAY=-1");
        registry.add("camunda.bpm.process-engine-name", () -> "qaBenchmark");
        registry.add("camunda.bpm.job-execution.enabled", () -> "false");
        registry.add("stageguard.data-dir", () -> work.resolve("stageguard").toString());
        registry.add("stageguard.qa.discover-pages", () -> "false");
        registry.add("stageguard.qa.host-resolver-rules", () -> "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1");
    }

    @Test
    void qaOfATwentyPageSiteAndOneLargeComparison() throws Exception {
        try (LocalMariaDb mariaDb = LocalMariaDb.start(work.resolve("mariadb"))) {
            DatabaseConnection liveDb = mariaDb.createDatabase("bench_live", "bench_live", "live-pw", "wp_");
            DatabaseConnection stagingDb =
                    mariaDb.createDatabase("bench_staging", "bench_staging", "staging-pw", "wp_");
            int livePort = LocalWordPress.freePort();
            int stagingPort = LocalWordPress.freePort();
            String live = "http://127.0.0.1:" + livePort;
            Path liveRoot = work.resolve("live");
            LocalWordPress.install(liveRoot, live, liveDb, "Benchmark site", "bench-admin");
            LocalWordPress.php(liveRoot, live, """
                    require ABSPATH_DIR . '/wp-load.php';
                    for ($i = 1; $i <= (int) $argv[1]; $i++) {
                        $body = '';
                        for ($p = 0; $p < 3 + $i % 7; $p++) {
                            $body .= '<!-- wp:heading --><h2>Section ' . $p . '</h2><!-- /wp:heading -->'
                                . '<!-- wp:paragraph --><p>' . str_repeat('Lorem ipsum dolor sit amet, consectetur adipiscing elit. ', 8 + $p) . '</p><!-- /wp:paragraph -->';
                        }
                        wp_insert_post(array('post_title' => 'Bench page ' . $i, 'post_name' => 'bench-page-' . $i, 'post_type' => 'page',
                            'post_status' => 'publish', 'post_content' => $body));
                    }
                    """, String.valueOf(PAGES - 2));
            Site site = new Site(
                    "bench",
                    new SiteEnvironment(live, liveRoot, liveDb),
                    new SiteEnvironment("http://127.0.0.1:" + stagingPort, work.resolve("staging"), stagingDb));
            List<String> paths = new ArrayList<>(List.of("/", "/sample-page/"));
            for (int i = 1; i <= PAGES - 2; i++) paths.add("/bench-page-" + i + "/");

            try (LocalWordPress.PhpServer liveServer = LocalWordPress.serve(liveRoot, livePort);
                    PageFetcher fetcher = new PageFetcher()) {
                for (String path : paths) fetcher.get(live + path); // first visits write WordPress's own caches
                cloner.cloneFiles(site, access.tokenSha256(site.id()));
                cloner.cloneDatabase(site);
                try (LocalWordPress.PhpServer stagingServer =
                        LocalWordPress.serve(site.staging().documentRoot(), stagingPort)) {
                    double bothSides = plainScreenshots(site, paths, true);
                    double stagingOnly = plainScreenshots(site, paths, false);
                    long start = System.nanoTime();
                    QaReport cloneCheck = reference.capture("bench", 1, site, paths);
                    double before = (System.nanoTime() - start) / 1e9;
                    start = System.nanoTime();
                    QaReport report = qa.run("bench", 1, site, List.of());
                    double round = (System.nanoTime() - start) / 1e9;
                    assertThat(report.pages()).hasSize(PAGES);
                    assertThat(cloneCheck.pages()).hasSize(PAGES);
                    assertThat(report.verdict()).isEqualTo(QaVerdict.PASS);
                    write(site, bothSides, before, stagingOnly, round);
                }
            }
        }
    }

    /** The baseline: one session, each page at each viewport loaded (on live and staging, or on staging only) and shot once. */
    private double plainScreenshots(Site site, List<String> paths, boolean withLive) throws Exception {
        long start = System.nanoTime();
        try (Browser browser = new Browser(properties)) {
            browser.admitTo(site.staging().baseUrl(), access.token(site.id()));
            WebDriver driver = browser.driver();
            for (QaProperties.Viewport viewport : properties.viewports()) {
                driver.manage().window().setSize(new Dimension(viewport.width(), 900));
                for (String path : paths) {
                    for (String url : withLive
                            ? List.of(site.live().url(path), site.staging().url(path))
                            : List.of(site.staging().url(path))) {
                        driver.get(url);
                        ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
                    }
                }
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private void write(Site site, double bothSides, double before, double stagingOnly, double round) throws Exception {
        BufferedImage a = syntheticPage(1366, 5000, 0);
        BufferedImage b = syntheticPage(1366, 5000, 40);
        for (int i = 0; i < 3; i++) { // warm-up: JIT
            ScreenshotComparer.compare(a, b);
            exactlyEqualPixels(a, b);
        }
        // the two alternate, so that whatever else the machine does weighs on both alike
        int rounds = 10;
        long perceptualNanos = 0;
        long exactNanos = 0;
        double share = 0;
        long exact = 0;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            share = ScreenshotComparer.compare(a, b).differingShare();
            long t1 = System.nanoTime();
            exact = exactlyEqualPixels(a, b);
            perceptualNanos += t1 - t0;
            exactNanos += System.nanoTime() - t1;
        }
        double perceptualMs = perceptualNanos / 1e6 / rounds;
        // the difference picture is drawn only where a report shows it: timed apart, not part of the comparison
        long drawStart = System.nanoTime();
        for (int i = 0; i < rounds; i++) ScreenshotComparer.compare(a, b).diffImage();
        double withPictureMs = (System.nanoTime() - drawStart) / 1e6 / rounds;
        double exactMs = exactNanos / 1e6 / rounds;
        int viewports = properties.viewports().size();
        String text = String.format(
                Locale.ROOT,
                """
                QA benchmark: %d pages x %d viewports (%s), %d browser sessions
                Before the changes (phase 2): live and staging looked at, the clone check
                  baseline   load + one screenshot per page, side and viewport   %7.1f s   %6.1f pages/min
                  Stageguard look at live and staging, clone check, reference     %7.1f s   %6.1f pages/min
                  time ratio  look before / baseline                              %7.2f x
                The QA round (phase 3): staging with the changes against the reference
                  baseline   load + one screenshot per page and viewport, staging %7.1f s   %6.1f pages/min
                  Stageguard QA round (stilling, timing, logs, comparison, report) %7.1f s   %6.1f pages/min
                  time ratio  QA round / baseline                                 %7.2f x
                Image comparison 1366 x 5000 (mean of %d)
                  baseline   exact pixel equality                                  %7.1f ms (%d pixels differ)
                  Stageguard perceptual (YIQ + anti-aliasing)                      %7.1f ms (%.2f%% differ)
                  time ratio  perceptual / exact                                  %7.2f x
                  (with the difference picture drawn, as a report needs it          %7.1f ms)
                """,
                PAGES,
                viewports,
                properties.viewports().stream()
                        .map(v -> v.name() + " " + v.width())
                        .toList(),
                properties.sessions(),
                bothSides,
                PAGES * 60 / bothSides,
                before,
                PAGES * 60 / before,
                before / bothSides,
                stagingOnly,
                PAGES * 60 / stagingOnly,
                round,
                PAGES * 60 / round,
                round / stagingOnly,
                rounds,
                exactMs,
                exact,
                perceptualMs,
                share * 100,
                perceptualMs / exactMs,
                withPictureMs);
        System.out.println(text);
        Path out = Path.of("target", "benchmark", "qa.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, text);
    }

    /** A page-like image: text lines and blocks; {@code shift} moves the lower half down, as a layout change would. */
    private static BufferedImage syntheticPage(int width, int height, int shift) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        Random random = new Random(7);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        for (int y = 40; y < height; y += 28) {
            int drawY = y > height / 2 ? y + shift : y;
            if (random.nextInt(12) == 0) {
                g.setColor(new Color(random.nextInt(0xFFFFFF)));
                g.fillRect(100, drawY, 400 + random.nextInt(700), 120);
                y += 120;
            } else {
                g.setColor(Color.DARK_GRAY);
                g.drawString(
                        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor " + y,
                        100,
                        drawY);
            }
        }
        g.dispose();
        return img;
    }

    private static long exactlyEqualPixels(BufferedImage a, BufferedImage b) {
        int w = a.getWidth();
        int[] ra = new int[w];
        int[] rb = new int[w];
        long differing = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            a.getRGB(0, y, w, 1, ra, 0, w);
            b.getRGB(0, y, w, 1, rb, 0, w);
            for (int x = 0; x < w; x++) if (ra[x] != rb[x]) differing++;
        }
        return differing;
    }
}
