package io.stageguard.qa;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stageguard.StageguardProperties;
import io.stageguard.clone.FileTreeCopier;
import io.stageguard.clone.StagingAccess;
import io.stageguard.site.PageFetcher;
import io.stageguard.site.Site;
import io.stageguard.site.SiteHealthCheck;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.springframework.stereotype.Component;

/**
 * Phase 3: loads every QA path on live and on staging in headless Chromium, compares what users
 * would see, and writes the round's report (HTML for people, JSON for machines).
 */
@Component
public class BrowserQa {
    private final QaProperties qa;
    private final StageguardProperties app;
    private final PageFetcher fetcher;
    private final ObjectMapper json;
    private final StagingAccess access;

    public BrowserQa(QaProperties qa, StageguardProperties app, PageFetcher fetcher, ObjectMapper json, StagingAccess access) {
        this.access = access;
        this.qa = qa;
        this.app = app;
        this.fetcher = fetcher;
        this.json = json.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    public QaReport run(String releaseId, int round, Site site, List<String> paths) throws IOException {
        String folder = releaseId + "/round-" + round;
        Path dir = app.reportsDir().resolve(folder);
        FileTreeCopier.deleteTree(dir);
        Files.createDirectories(dir);
        List<QaReport.PageResult> pages = new ArrayList<>();
        try (Browser browser = new Browser(qa)) {
            for (int i = 0; i < paths.size(); i++) {
                pages.add(checkPage(browser, site, paths.get(i), dir, "page-" + (i + 1)));
            }
        }
        List<String> findings = QualityGate.findings(pages, qa.maxPixelDifference());
        String base = app.publicUrl() + "/reports/" + folder + "/";
        QaReport report = new QaReport(releaseId, round, findings.isEmpty(), findings, pages, base + "index.html", base + "report.json");
        Files.writeString(dir.resolve("index.html"), QaReportWriter.html(report, site), StandardCharsets.UTF_8);
        json.writeValue(dir.resolve("report.json").toFile(), report);
        return report;
    }

    private QaReport.PageResult checkPage(Browser browser, Site site, String path, Path dir, String name) throws IOException {
        Map<String, String> stagingAccess = access.headers(site.id());
        int liveStatus = fetcher.get(site.live().url(path)).status();
        int stagingStatus = fetcher.get(site.staging().url(path), stagingAccess).status();
        Browser.Capture live = browser.capture(site.live().url(path), Map.of());
        Browser.Capture staging = browser.capture(site.staging().url(path), stagingAccess);
        Files.write(dir.resolve(name + "-live.png"), live.png());
        Files.write(dir.resolve(name + "-staging.png"), staging.png());
        ScreenshotComparer.Comparison cmp = ScreenshotComparer.compare(read(live.png()), read(staging.png()));
        ImageIO.write(cmp.diffImage(), "png", dir.resolve(name + "-diff.png").toFile());
        // the same error on live is not the release's doing; compare with staging's URL put back to live's
        List<String> newErrors = staging.consoleErrors().stream()
                .filter(e -> !live.consoleErrors().contains(e.replace(site.staging().baseUrl(), site.live().baseUrl())))
                .toList();
        return new QaReport.PageResult(path, liveStatus, stagingStatus, cmp.differingShare(),
                SiteHealthCheck.showsPhpFatal(staging.html()), live.consoleErrors(), newErrors,
                name + "-live.png", name + "-staging.png", name + "-diff.png");
    }

    private static BufferedImage read(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }
}
