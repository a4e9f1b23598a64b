package io.stageguard.qa;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stageguard.StageguardProperties;
import io.stageguard.clone.FileTreeCopier;
import io.stageguard.clone.StagingAccess;
import io.stageguard.site.StepProgress;
import io.stageguard.site.PageFetcher;
import io.stageguard.site.Site;
import io.stageguard.site.SiteHealthCheck;
import io.stageguard.site.UserFlow;
import io.stageguard.update.Change;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.springframework.stereotype.Component;

/**
 * Phase 3: checks every page on live and on staging in headless Chromium at each viewport, walks
 * the site's user flows on staging, reads staging's PHP error log, times both sides, names the
 * change behind each problem where its file path tells, lets the quality gate decide, and writes
 * the round's report (HTML for people, JSON for machines).
 */
@Component
public class BrowserQa {
    /** Visual differences below this share of a page are rendering noise, not findings. */
    static final double VISUAL_NOISE = 0.001;
    /** Slowdowns below this are noise on shared machines, not findings. */
    static final long SLOWDOWN_NOISE_MILLIS = 300;
    private final QaProperties qa;
    private final StageguardProperties app;
    private final PageFetcher fetcher;
    private final ObjectMapper json;
    private final StagingAccess access;
    private final QualityGate gate;

    public BrowserQa(QaProperties qa, StageguardProperties app, PageFetcher fetcher, ObjectMapper json, StagingAccess access, QualityGate gate) {
        this.qa = qa;
        this.app = app;
        this.fetcher = fetcher;
        this.json = json.copy().enable(SerializationFeature.INDENT_OUTPUT);
        this.access = access;
        this.gate = gate;
    }

    /** What a check of some pages and flows observed: results and findings, culprits not yet named. */
    record Observation(List<QaReport.PageResult> pages, List<QaReport.FlowResult> flows, List<QaReport.AdminResult> adminScreens,
                       List<PhpErrorLog.Entry> phpLog, List<QaReport.Finding> findings) {
    }

    public QaReport run(String releaseId, int round, Site site, List<Change> changes, List<String> qaPaths) throws IOException {
        Path dir = roundDir(releaseId, round);
        FileTreeCopier.deleteTree(dir);
        Files.createDirectories(dir);
        List<String> paths = qa.discoverPages() ? new PageDiscovery(fetcher).pages(site.live().baseUrl(), qaPaths, qa.maxPages()) : qaPaths;
        List<String> adminPaths = site.qa().admin() == null ? List.of() : site.qa().admin().paths();
        Observation seen = observe(site, paths, qa.viewports(), site.qa().flows(), adminPaths, dir);
        List<QaReport.Finding> findings = attributeByPath(seen, changes);
        QualityGate.Verdict verdict = gate.judge(findings, seen.pages(), Change.updatesCore(changes));
        String base = app.publicUrl() + "/reports/" + releaseId + "/round-" + round + "/";
        QaReport report = new QaReport(releaseId, round, verdict.verdict(), verdict.reasons(), changes.stream().map(Change::label).toList(),
                findings, seen.pages(), seen.flows(), seen.adminScreens(), seen.phpLog(), null, base + "index.html", base + "report.json");
        write(report, site);
        return report;
    }

    /** Whether culprit search by bisection can add anything: a failed round, findings without a culprit, several changes. */
    public static boolean needsBisection(QaReport report) {
        return !report.passed() && report.changes().size() > 1 && report.findings().stream().anyMatch(f -> f.culprit() == null);
    }

    /**
     * Thumbnails of the pages the round found most changed, for the sign-off forms. Their URLs are
     * paths on Stageguard's own origin, where Tasklist runs, whatever host name the public URL has.
     */
    public List<QaThumbnails.Thumbnail> thumbnails(QaReport report) throws IOException {
        return QaThumbnails.write(report, roundDir(report.releaseId(), report.round()),
                java.net.URI.create(report.htmlUrl()).getPath().replaceFirst("index\\.html$", ""));
    }

    public boolean hasRound(String releaseId, int round) {
        return java.nio.file.Files.isRegularFile(roundDir(releaseId, round).resolve("report.json"));
    }

    public QaReport read(String releaseId, int round) throws IOException {
        return json.readValue(roundDir(releaseId, round).resolve("report.json").toFile(), QaReport.class);
    }

    public void write(QaReport report, Site site) throws IOException {
        Path dir = roundDir(report.releaseId(), report.round());
        json.writeValue(dir.resolve("report.json").toFile(), report);
        Files.writeString(dir.resolve("index.html"), QaReportWriter.html(report, site), StandardCharsets.UTF_8);
    }

    Path roundDir(String releaseId, int round) {
        return app.reportsDir().resolve(releaseId).resolve("round-" + round);
    }

    /**
     * Checks the given pages at the given viewports, spread over parallel browser sessions, then
     * the flows and admin screens on staging; the PHP log counts from the start of the check.
     */
    Observation observe(Site site, List<String> paths, List<QaProperties.Viewport> viewports, List<UserFlow> flows,
                        List<String> adminPaths, Path dir) throws IOException {
        PhpErrorLog log = new PhpErrorLog(site.staging().documentRoot());
        long mark = log.mark();
        QaReport.PageResult[] pages = new QaReport.PageResult[paths.size()];
        ConcurrentLinkedQueue<Integer> todo = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < paths.size(); i++) todo.add(i);
        StepProgress progress = StepProgress.start("pages checked", paths.size());
        int sessions = Math.max(1, Math.min(qa.sessions(), paths.size()));
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        try {
            List<Future<Void>> workers = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                workers.add(pool.submit(() -> {
                    try (Browser browser = new Browser(qa)) {
                        browser.admitTo(site.staging().baseUrl(), access.token(site.id()));
                        for (Integer i = todo.poll(); i != null; i = todo.poll()) {
                            pages[i] = checkPage(browser, site, paths.get(i), viewports, dir, "page-" + (i + 1));
                            progress.advance();
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> worker : workers) worker.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("QA interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("a browser session failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        List<QaReport.FlowResult> flowResults = new ArrayList<>();
        if (!flows.isEmpty()) {
            FlowRunner runner = new FlowRunner(site, dir);
            try (Browser browser = new Browser(qa)) {
                browser.admitTo(site.staging().baseUrl(), access.token(site.id()));
                for (int f = 0; f < flows.size(); f++) flowResults.add(runner.run(browser, flows.get(f), "flow-" + (f + 1)));
            }
        }
        List<QaReport.AdminResult> adminResults = List.of();
        if (!adminPaths.isEmpty()) {
            try (Browser browser = new Browser(qa)) {
                browser.admitTo(site.staging().baseUrl(), access.token(site.id()));
                adminResults = new AdminScreenCheck(site, dir, qa.viewports().get(0)).run(browser, adminPaths);
            }
        }
        List<PhpErrorLog.Entry> phpLog = log.since(mark);
        List<QaReport.PageResult> pageList = Arrays.asList(pages);
        return new Observation(pageList, flowResults, adminResults, phpLog, findings(pageList, flowResults, adminResults, phpLog));
    }

    private QaReport.PageResult checkPage(Browser browser, Site site, String path, List<QaProperties.Viewport> viewports,
                                          Path dir, String name) throws IOException {
        Map<String, String> stagingAccess = access.headers(site.id());
        String liveUrl = site.live().url(path);
        String stagingUrl = site.staging().url(path);
        // alternate the sides so that a machine getting busier slows both alike; the median drops outliers
        long[] liveTimes = new long[qa.timingSamples()];
        long[] stagingTimes = new long[qa.timingSamples()];
        int liveStatus = 0;
        int stagingStatus = 0;
        for (int i = 0; i < qa.timingSamples(); i++) {
            long t0 = System.nanoTime();
            liveStatus = fetcher.get(liveUrl).status();
            long t1 = System.nanoTime();
            stagingStatus = fetcher.get(stagingUrl, stagingAccess).status();
            long t2 = System.nanoTime();
            liveTimes[i] = (t1 - t0) / 1_000_000;
            stagingTimes[i] = (t2 - t1) / 1_000_000;
        }
        List<QaReport.Shot> shots = new ArrayList<>();
        LinkedHashSet<String> liveErrors = new LinkedHashSet<>();
        LinkedHashSet<String> stagingErrors = new LinkedHashSet<>();
        LinkedHashSet<String> liveFailed = new LinkedHashSet<>();
        LinkedHashSet<String> stagingFailed = new LinkedHashSet<>();
        boolean fatal = false;
        Browser.Timing liveTiming = null;
        Browser.Timing stagingTiming = null;
        for (QaProperties.Viewport viewport : viewports) {
            Browser.Capture live = browser.capture(liveUrl, viewport, site.qa().masks());
            Browser.Capture staging = browser.capture(stagingUrl, viewport, site.qa().masks());
            String stem = name + "-" + viewport.name();
            Files.write(dir.resolve(stem + "-live.png"), live.png());
            Files.write(dir.resolve(stem + "-staging.png"), staging.png());
            ScreenshotComparer.Comparison cmp = ScreenshotComparer.compare(read(live.png()), read(staging.png()));
            ImageIO.write(cmp.diffImage(), "png", dir.resolve(stem + "-diff.png").toFile());
            shots.add(new QaReport.Shot(viewport.name(), cmp.differingShare(), stem + "-live.png", stem + "-staging.png", stem + "-diff.png"));
            liveErrors.addAll(live.consoleErrors());
            stagingErrors.addAll(staging.consoleErrors().stream().map(e -> asLive(e, site)).toList());
            liveFailed.addAll(live.failedRequests());
            stagingFailed.addAll(staging.failedRequests().stream().map(e -> asLive(e, site)).toList());
            fatal |= SiteHealthCheck.showsPhpFatal(staging.html());
            if (liveTiming == null) {
                liveTiming = live.timing();
                stagingTiming = staging.timing();
            }
        }
        // the same error on live is not the release's doing; staging's are compared with its URL put back to live's
        stagingErrors.removeAll(liveErrors);
        stagingFailed.removeAll(liveFailed);
        QaReport.Speed speed = new QaReport.Speed(median(liveTimes), median(stagingTimes), liveTiming, stagingTiming);
        return new QaReport.PageResult(path, liveStatus, stagingStatus, fatal, shots, List.copyOf(liveErrors),
                List.copyOf(stagingErrors), List.copyOf(stagingFailed), speed);
    }

    private static String asLive(String message, Site site) {
        return message.replace(site.staging().baseUrl(), site.live().baseUrl());
    }

    static List<QaReport.Finding> findings(List<QaReport.PageResult> pages, List<QaReport.FlowResult> flows,
                                           List<QaReport.AdminResult> adminScreens, List<PhpErrorLog.Entry> phpLog) {
        return findings(pages, flows, adminScreens, phpLog, ReportSides.QA_ROUND);
    }

    static List<QaReport.Finding> findings(List<QaReport.PageResult> pages, List<QaReport.FlowResult> flows,
                                           List<QaReport.AdminResult> adminScreens, List<PhpErrorLog.Entry> phpLog, ReportSides sides) {
        List<QaReport.Finding> findings = new ArrayList<>();
        for (QaReport.PageResult p : pages) {
            if (p.stagingStatus() >= 500 || p.stagingStatus() >= 400 && p.liveStatus() < 400) {
                findings.add(finding(FindingKind.HTTP, p.path(), null, sides.statusFinding(p.liveStatus(), p.stagingStatus())));
            }
            if (p.stagingPhpFatal()) findings.add(finding(FindingKind.PHP_FATAL, p.path(), null, "the page shows a PHP fatal error"));
            p.newConsoleErrors().forEach(e -> findings.add(finding(FindingKind.CONSOLE, p.path(), null, "new console error: " + e)));
            p.newFailedRequests().forEach(r -> findings.add(finding(FindingKind.REQUEST, p.path(), null, "a sub-request fails: " + r)));
            for (QaReport.Shot shot : p.shots()) {
                if (shot.difference() > VISUAL_NOISE) {
                    findings.add(finding(FindingKind.VISUAL, p.path(), shot.viewport(),
                            String.format(Locale.ROOT, "%.1f%% of the page looks different at %s width", shot.difference() * 100, shot.viewport())));
                }
            }
            if (p.speed().slowdownMillis() > SLOWDOWN_NOISE_MILLIS) {
                findings.add(finding(FindingKind.PERFORMANCE, p.path(), null,
                        sides.slowdownFinding(p.speed().slowdownMillis(), p.speed().liveServerMillis(), p.speed().stagingServerMillis())));
            }
        }
        for (QaReport.FlowResult flow : flows) {
            flow.steps().stream().filter(s -> !s.passed()).findFirst().ifPresent(s ->
                    findings.add(finding(FindingKind.FLOW, flow.name(), null, "flow \"" + flow.name() + "\" fails at \"" + s.step() + "\": " + s.error())));
        }
        for (QaReport.AdminResult a : adminScreens) {
            if (a.phpFatal()) findings.add(finding(FindingKind.PHP_FATAL, a.path(), null, "the admin screen shows a PHP fatal error"));
            else if (!a.rendered()) findings.add(finding(FindingKind.HTTP, a.path(), null, "the admin screen does not render"));
            a.consoleErrors().forEach(e -> findings.add(finding(FindingKind.CONSOLE, a.path(), null, "console error in the admin: " + e)));
            a.failedRequests().forEach(r -> findings.add(finding(FindingKind.REQUEST, a.path(), null, "a sub-request of the admin fails: " + r)));
        }
        for (PhpErrorLog.Entry e : phpLog) {
            FindingKind kind = e.fatal() ? FindingKind.PHP_FATAL : e.warning() ? FindingKind.PHP_WARNING : FindingKind.PHP_NOTICE;
            findings.add(finding(kind, "PHP error log", null, "PHP " + e.level() + ": " + e.message()
                    + (e.file() == null ? "" : " in " + e.file() + " on line " + e.line()) + (e.count() > 1 ? " (" + e.count() + " times)" : "")));
        }
        return findings;
    }

    private static QaReport.Finding finding(FindingKind kind, String where, String viewport, String message) {
        return new QaReport.Finding(kind, where, viewport, message, null, null);
    }

    /**
     * Names culprits where the evidence carries a path: PHP files, script and asset URLs. A fatal
     * error page names no file; the fatal logged at the same time does. With a single change, that
     * change is the culprit of whatever it caused.
     */
    static List<QaReport.Finding> attributeByPath(Observation seen, List<Change> changes) {
        String fatalCulprit = seen.phpLog().stream().filter(PhpErrorLog.Entry::fatal)
                .map(e -> Attribution.culprit(e.file(), changes).orElse(null))
                .filter(c -> c != null).findFirst().orElse(null);
        List<QaReport.Finding> out = new ArrayList<>();
        for (QaReport.Finding f : seen.findings()) {
            String culprit = Attribution.culprit(f.message(), changes).orElse(null);
            // notices and deprecations from code the release does not touch are the site's old debts, shown in the
            // report's PHP log but not held against this release
            if (f.kind() == FindingKind.PHP_NOTICE && culprit != null && !Attribution.inChangeSet(culprit)) continue;
            if (culprit == null && f.kind() == FindingKind.PHP_FATAL && !f.where().equals("PHP error log")) culprit = fatalCulprit;
            if (culprit != null) {
                out.add(f.withCulprit(culprit, Attribution.BY_PATH));
            } else if (changes.size() == 1) {
                out.add(f.withCulprit(changes.get(0).label(), Attribution.BY_ONLY_CHANGE));
            } else {
                out.add(f);
            }
        }
        return out;
    }

    private static long median(long[] samples) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    private static BufferedImage read(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }
}
