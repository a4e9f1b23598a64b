package io.stageguard.qa;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stageguard.StageguardProperties;
import io.stageguard.clone.FileTreeCopier;
import io.stageguard.clone.StagingAccess;
import io.stageguard.site.Site;
import io.stageguard.site.UserFlow;
import io.stageguard.support.StepProgress;
import io.stageguard.update.Change;
import io.stageguard.wordpress.PageFetcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Phase 3: looks at every page of the round's reference on staging with the changes applied, in
 * headless Chromium at each viewport, and judges it against staging before the changes
 * ({@link StagingReference}: what the release changed, not what cloning changed); walks the site's
 * user flows on staging, reads staging's PHP error log, names the change behind each problem where
 * its file path tells, lets the quality gate decide, and writes the round's report (HTML for
 * people, JSON for machines).
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
    private final StagingReference references;

    public BrowserQa(
            QaProperties qa,
            StageguardProperties app,
            PageFetcher fetcher,
            ObjectMapper json,
            StagingAccess access,
            QualityGate gate,
            StagingReference references) {
        this.references = references;
        this.qa = qa;
        this.app = app;
        this.fetcher = fetcher;
        this.json = json.copy().enable(SerializationFeature.INDENT_OUTPUT);
        this.access = access;
        this.gate = gate;
    }

    /** What a check of some pages and flows observed: results and findings, culprits not yet named. */
    record Observation(
            List<QaReport.PageResult> pages,
            List<QaReport.FlowResult> flows,
            List<QaReport.AdminResult> adminScreens,
            List<PhpErrorLog.Entry> phpLog,
            List<QaReport.Finding> findings) {}

    /**
     * The round: every page of the reference looked at on staging with the changes applied and
     * judged against staging before them, the flows and admin screens walked, the PHP log read.
     */
    public QaReport run(String releaseId, int round, Site site, List<Change> changes) throws IOException {
        Path dir = roundDir(releaseId, round);
        StagingReference.Reference reference = references.read(releaseId, round);
        // the round's own files go; the look at staging before the changes stays
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> !f.getFileName().toString().equals(StagingReference.DIR))
                    .toList()) FileTreeCopier.deleteTree(file);
        }
        List<String> paths =
                reference.pages().stream().map(PageDiscovery.SampledPage::path).toList();
        List<String> adminPaths =
                site.qa().admin() == null ? List.of() : site.qa().admin().paths();
        Observation seen = observe(site, reference, paths, qa.viewports(), reference.flows(site), adminPaths, dir);
        List<QaReport.Finding> findings = attributeByPath(seen, changes);
        QualityGate.Verdict verdict = gate.judge(findings, seen.pages(), Change.updatesCore(changes));
        String base = app.publicUrl() + "/reports/" + releaseId + "/round-" + round + "/";
        QaReport report = new QaReport(
                releaseId,
                round,
                verdict.verdict(),
                verdict.reasons(),
                changes.stream().map(Change::label).toList(),
                findings,
                seen.pages(),
                seen.flows(),
                seen.adminScreens(),
                seen.phpLog(),
                null,
                base + "index.html",
                base + "report.json",
                reference.pages());
        write(report, site);
        return report;
    }

    /**
     * Whether the culprit search can add anything: a failed round with findings no file path
     * explains. With one change that is the control alone: what staging shows without the change
     * is not the change's doing.
     */
    public static boolean needsBisection(QaReport report) {
        return !report.passed() && report.findings().stream().anyMatch(CulpritFinder::searchable);
    }

    /**
     * Thumbnails of the pages the round found most changed, for the sign-off forms. Their URLs are
     * paths on Stageguard's own origin, where Tasklist runs, whatever host name the public URL has.
     */
    public List<QaThumbnails.Thumbnail> thumbnails(QaReport report) throws IOException {
        return QaThumbnails.write(
                report,
                roundDir(report.releaseId(), report.round()),
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
        return app.roundReportsDir(releaseId, round);
    }

    /**
     * Looks at the given pages on staging at the given viewports, spread over parallel browser
     * sessions, and judges each against the reference; then walks the flows and admin screens on
     * staging. The PHP log counts from the start of the check.
     */
    Observation observe(
            Site site,
            StagingReference.Reference reference,
            List<String> paths,
            List<QaProperties.Viewport> viewports,
            List<UserFlow> flows,
            List<String> adminPaths,
            Path dir)
            throws IOException {
        PhpErrorLog log = new PhpErrorLog(site.staging().documentRoot());
        long mark = log.mark();
        Files.createDirectories(dir);
        List<QaReport.PageResult> pageList = BrowserSessions.map(
                qa,
                paths.size(),
                site.staging().baseUrl(),
                access.token(site.id()),
                StepProgress.start("pages checked", paths.size()),
                (browser, i) -> {
                    String path = paths.get(i);
                    PageLooks.Look after = PageLooks.look(
                            browser,
                            fetcher,
                            access.headers(site.id()),
                            site.staging().url(path),
                            path,
                            viewports,
                            site.qa().masks(),
                            dir,
                            "page-" + (i + 1),
                            asLive(site));
                    return PageLooks.compare(reference.look(path), reference.dir(), after, dir, viewport -> 0);
                });
        pageList = slowdownsThatReproduce(site, pageList);
        List<QaReport.FlowResult> flowResults = new ArrayList<>();
        if (!flows.isEmpty()) {
            FlowRunner runner = new FlowRunner(site, dir);
            try (Browser browser = new Browser(qa)) {
                browser.admitTo(site.staging().baseUrl(), access.token(site.id()));
                for (int f = 0; f < flows.size(); f++)
                    flowResults.add(runner.run(browser, flows.get(f), "flow-" + (f + 1)));
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
        return new Observation(
                pageList, flowResults, adminResults, phpLog, findings(pageList, flowResults, adminResults, phpLog));
    }

    /**
     * A page that looks slower than before the changes is asked again, {@value #CONFIRMING_SAMPLES}
     * times, its requests taking turns with the other suspects'; its slowdown stands only if it holds
     * with those samples too (a burst of load on the machine while the browser looked does not last).
     * Pages that do not look slower cost nothing more.
     */
    private List<QaReport.PageResult> slowdownsThatReproduce(Site site, List<QaReport.PageResult> pages)
            throws IOException {
        List<Integer> suspects = new ArrayList<>();
        for (int i = 0; i < pages.size(); i++)
            if (pages.get(i).speed().slowerBeyond(SLOWDOWN_NOISE_MILLIS)) suspects.add(i);
        if (suspects.isEmpty()) return pages;
        Map<Integer, List<Long>> more = new java.util.HashMap<>();
        for (int round = 0; round < CONFIRMING_SAMPLES; round++) {
            for (int i : suspects) {
                more.computeIfAbsent(i, k -> new ArrayList<>())
                        .add(PageLooks.sample(
                                fetcher, site.staging().url(pages.get(i).path()), access.headers(site.id())));
            }
        }
        List<QaReport.PageResult> confirmed = new ArrayList<>(pages);
        for (int i : suspects)
            confirmed.set(i, pages.get(i).withSpeed(pages.get(i).speed().withMoreStagingSamples(more.get(i))));
        return confirmed;
    }

    /** Plain requests that ask a page again before its slowdown counts. */
    static final int CONFIRMING_SAMPLES = 4;

    /** Staging's URLs in a message put back to live's, so that messages of both sites, and of staging in two states, compare. */
    static java.util.function.UnaryOperator<String> asLive(Site site) {
        return message -> message.replace(site.staging().baseUrl(), site.live().baseUrl());
    }

    static List<QaReport.Finding> findings(
            List<QaReport.PageResult> pages,
            List<QaReport.FlowResult> flows,
            List<QaReport.AdminResult> adminScreens,
            List<PhpErrorLog.Entry> phpLog) {
        return findings(pages, flows, adminScreens, phpLog, ReportSides.QA_ROUND);
    }

    static List<QaReport.Finding> findings(
            List<QaReport.PageResult> pages,
            List<QaReport.FlowResult> flows,
            List<QaReport.AdminResult> adminScreens,
            List<PhpErrorLog.Entry> phpLog,
            ReportSides sides) {
        List<QaReport.Finding> findings = new ArrayList<>();
        for (QaReport.PageResult p : pages) {
            if (p.stagingStatus() >= 500 || p.stagingStatus() >= 400 && p.liveStatus() < 400) {
                findings.add(finding(
                        FindingKind.HTTP, p.path(), null, sides.statusFinding(p.liveStatus(), p.stagingStatus())));
            }
            if (p.stagingPhpFatal())
                findings.add(finding(FindingKind.PHP_FATAL, p.path(), null, "the page shows a PHP fatal error"));
            p.newConsoleErrors()
                    .forEach(
                            e -> findings.add(finding(FindingKind.CONSOLE, p.path(), null, "new console error: " + e)));
            p.newFailedRequests()
                    .forEach(r ->
                            findings.add(finding(FindingKind.REQUEST, p.path(), null, "a sub-request fails: " + r)));
            for (QaReport.Shot shot : p.shots()) {
                if (shot.difference() > VISUAL_NOISE) {
                    findings.add(finding(
                            FindingKind.VISUAL,
                            p.path(),
                            shot.viewport(),
                            String.format(
                                    Locale.ROOT,
                                    "%.1f%% of the page looks different at %s width",
                                    shot.difference() * 100,
                                    shot.viewport())));
                }
            }
            if (p.speed().slowerBeyond(SLOWDOWN_NOISE_MILLIS)) {
                findings.add(finding(FindingKind.PERFORMANCE, p.path(), null, sides.slowdownFinding(p.speed())));
            }
        }
        for (QaReport.FlowResult flow : flows) {
            flow.steps().stream()
                    .filter(s -> !s.passed())
                    .findFirst()
                    .ifPresent(s -> findings.add(finding(
                            FindingKind.FLOW,
                            flow.name(),
                            null,
                            "flow \"" + flow.name() + "\" fails at \"" + s.step() + "\": " + s.error())));
        }
        for (QaReport.AdminResult a : adminScreens) {
            if (a.phpFatal())
                findings.add(
                        finding(FindingKind.PHP_FATAL, a.path(), null, "the admin screen shows a PHP fatal error"));
            else if (!a.rendered())
                findings.add(finding(FindingKind.HTTP, a.path(), null, "the admin screen does not render"));
            a.consoleErrors()
                    .forEach(e -> findings.add(
                            finding(FindingKind.CONSOLE, a.path(), null, "console error in the admin: " + e)));
            a.failedRequests()
                    .forEach(r -> findings.add(
                            finding(FindingKind.REQUEST, a.path(), null, "a sub-request of the admin fails: " + r)));
        }
        for (PhpErrorLog.Entry e : phpLog) {
            FindingKind kind =
                    e.fatal() ? FindingKind.PHP_FATAL : e.warning() ? FindingKind.PHP_WARNING : FindingKind.PHP_NOTICE;
            findings.add(finding(
                    kind,
                    "PHP error log",
                    null,
                    "PHP " + e.level() + ": " + e.message()
                            + (e.file() == null ? "" : " in " + e.file() + " on line " + e.line())
                            + (e.count() > 1 ? " (" + e.count() + " times)" : "")));
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
        String fatalCulprit = seen.phpLog().stream()
                .filter(PhpErrorLog.Entry::fatal)
                .map(e -> Attribution.culprit(e.file(), changes).orElse(null))
                .filter(c -> c != null)
                .findFirst()
                .orElse(null);
        List<QaReport.Finding> out = new ArrayList<>();
        for (QaReport.Finding f : seen.findings()) {
            String culprit = Attribution.culprit(f.message(), changes).orElse(null);
            // notices and deprecations from code the release does not touch are the site's old debts, shown in the
            // report's PHP log but not held against this release
            if (f.kind() == FindingKind.PHP_NOTICE && culprit != null && !Attribution.inChangeSet(culprit)) continue;
            if (culprit == null
                    && f.kind() == FindingKind.PHP_FATAL
                    && !f.where().equals("PHP error log")) culprit = fatalCulprit;
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
}
