package io.stageguard.qa;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stageguard.StageguardProperties;
import io.stageguard.site.Site;
import io.stageguard.update.Change;
import io.stageguard.wordpress.PageFetcher;
import io.stageguard.wordpress.ServingPhp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Phase 5 checks live as thoroughly as phase 3 checked staging. Right before the push, the QA
 * pages are loaded on live in headless Chromium at every QA width (past every cache: a query
 * string no cache has seen), with their console errors, failed requests, server times and the
 * length of the serving PHP's error log. After the push the same is done again and judged by the
 * same quality-gate decision table: new console errors, failed requests, PHP errors, slowdowns and
 * HTTP errors count as in QA; a visual difference counts only where it goes beyond what QA measured
 * between live and staging for that page and width (what the approvers saw and signed off).
 * Reads live only; the report goes to {@code reports/<release>/push/}.
 */
@Component
public class LiveVerification {
    private static final String DIR = "push";
    private final QaProperties qa;
    private final StageguardProperties app;
    private final PageFetcher fetcher;
    private final ServingPhp servingPhp;
    private final QualityGate gate;
    private final BrowserQa browserQa;
    private final ObjectMapper json;

    public LiveVerification(
            QaProperties qa,
            StageguardProperties app,
            PageFetcher fetcher,
            ServingPhp servingPhp,
            QualityGate gate,
            BrowserQa browserQa,
            ObjectMapper json) {
        this.qa = qa;
        this.app = app;
        this.fetcher = fetcher;
        this.servingPhp = servingPhp;
        this.gate = gate;
        this.browserQa = browserQa;
        this.json = json.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** Live right before the push: one look per page, its screenshots in the push folder. */
    public record Baseline(List<PageLooks.Look> pages, String errorLog, long logMark) {}

    public Baseline baseline(String releaseId, Site site, List<String> paths) throws IOException {
        Path dir = app.releaseReportsDir(releaseId).resolve(DIR);
        Files.createDirectories(dir);
        Optional<Path> log = servingPhp.errorLog(site.live());
        Baseline baseline = new Baseline(
                look(site, paths, dir, "before"),
                log.map(Path::toString).orElse(""),
                log.isPresent() ? Files.size(log.get()) : 0);
        json.writeValue(dir.resolve("baseline.json").toFile(), baseline);
        return baseline;
    }

    /**
     * Live after the push against the baseline, judged by the quality gate.
     *
     * @param approvedRound the QA round that was signed off: its differences between live and staging are what the push should change
     */
    public QaReport verify(String releaseId, Site site, List<String> paths, List<Change> changes, int approvedRound)
            throws IOException {
        Path dir = app.releaseReportsDir(releaseId).resolve(DIR);
        Baseline before = json.readValue(dir.resolve("baseline.json").toFile(), Baseline.class);
        Map<String, Double> approved = approvedDifferences(releaseId, approvedRound);
        List<PageLooks.Look> after = look(site, paths, dir, "after");
        List<QaReport.PageResult> pages = new ArrayList<>();
        for (PageLooks.Look now : after) {
            PageLooks.Look then = before.pages().stream()
                    .filter(l -> l.path().equals(now.path()))
                    .findFirst()
                    .orElse(null);
            if (then == null) continue;
            pages.add(PageLooks.compare(
                    then, dir, now, dir, viewport -> approved.getOrDefault(now.path() + " " + viewport, 0.0)));
        }
        List<PhpErrorLog.Entry> phpLog = before.errorLog().isEmpty()
                ? List.of()
                : PhpErrorLog.at(Path.of(before.errorLog())).since(before.logMark());
        List<QaReport.Finding> found = BrowserQa.findings(pages, List.of(), List.of(), phpLog, ReportSides.PUSH);
        List<QaReport.Finding> findings = BrowserQa.attributeByPath(
                new BrowserQa.Observation(pages, List.of(), List.of(), phpLog, found), changes);
        QualityGate.Verdict verdict = gate.judge(findings, pages, Change.updatesCore(changes));
        String base = app.publicUrl() + "/reports/" + releaseId + "/" + DIR + "/";
        QaReport report = new QaReport(
                releaseId,
                approvedRound,
                verdict.verdict(),
                verdict.reasons(),
                changes.stream().map(Change::label).toList(),
                findings,
                pages,
                List.of(),
                List.of(),
                phpLog,
                null,
                base + "index.html",
                base + "report.json",
                List.of());
        json.writeValue(dir.resolve("report.json").toFile(), report);
        Files.writeString(dir.resolve("index.html"), QaReportWriter.pushHtml(report, site), StandardCharsets.UTF_8);
        return report;
    }

    /** Per "path viewport", the share of the page QA found different between live and staging in the signed-off round. */
    private Map<String, Double> approvedDifferences(String releaseId, int round) {
        Map<String, Double> approved = new HashMap<>();
        try {
            for (QaReport.PageResult p : browserQa.read(releaseId, round).pages()) {
                for (QaReport.Shot s : p.shots()) approved.put(p.path() + " " + s.viewport(), s.difference());
            }
        } catch (IOException noReport) {
            // no QA report to go by: every visual difference counts
        }
        return approved;
    }

    private List<PageLooks.Look> look(Site site, List<String> paths, Path dir, String side) throws IOException {
        // a query string no page cache or CDN has seen: the page as PHP renders it now
        String bust = "stageguard-verify=" + UUID.randomUUID().toString().substring(0, 8);
        List<PageLooks.Look> looks = new ArrayList<>();
        try (Browser browser = new Browser(qa)) {
            for (int i = 0; i < paths.size(); i++) {
                String path = paths.get(i);
                String url = site.live().url(path) + (path.contains("?") ? "&" : "?") + bust;
                // the cache-busting query differs between before and after: messages compare without it
                looks.add(PageLooks.look(
                        browser,
                        fetcher,
                        Map.of(),
                        url,
                        path,
                        qa.viewports(),
                        site.qa().masks(),
                        dir,
                        "page-" + (i + 1) + "-" + side,
                        message -> message.replace(bust, "")));
            }
        }
        return looks;
    }
}
