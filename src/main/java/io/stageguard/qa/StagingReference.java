package io.stageguard.qa;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stageguard.StageguardProperties;
import io.stageguard.clone.FileTreeCopier;
import io.stageguard.clone.StagingAccess;
import io.stageguard.site.Site;
import io.stageguard.site.UserFlow;
import io.stageguard.support.StepProgress;
import io.stageguard.wordpress.PageFetcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Staging right after the clone, before any change is applied: the reference a QA round judges
 * the release by (staging before against staging after the changes), so that what cloning or
 * sanitizing changed is never blamed on a change. The same look at live makes the clone check:
 * live against staging before the changes, reported apart (with the parity report) and never held
 * against the release. Reads live; written to {@code reports/<release>/round-<n>/before/}.
 */
@Component
public class StagingReference {
    static final String DIR = "before";
    private final QaProperties qa;
    private final StageguardProperties app;
    private final PageFetcher fetcher;
    private final StagingAccess access;
    private final ObjectMapper json;

    public StagingReference(
            QaProperties qa, StageguardProperties app, PageFetcher fetcher, StagingAccess access, ObjectMapper json) {
        this.qa = qa;
        this.app = app;
        this.fetcher = fetcher;
        this.access = access;
        this.json = json.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /**
     * The pages QA looks at (sampled by template), how staging showed each before the changes, and
     * the checks every site gets that live's pages call for ({@link DefaultChecks}).
     */
    public record Reference(
            List<PageDiscovery.SampledPage> pages,
            List<PageLooks.Look> looks,
            List<UserFlow> defaultChecks,
            @com.fasterxml.jackson.annotation.JsonIgnore Path dir) {
        public Reference {
            defaultChecks = defaultChecks == null ? List.of() : defaultChecks;
        }

        /** The site's own flows and the default checks: what a round walks on staging. */
        List<UserFlow> flows(Site site) {
            List<UserFlow> flows = new ArrayList<>(site.qa().flows());
            flows.addAll(defaultChecks);
            return flows;
        }

        PageLooks.Look look(String path) {
            return looks.stream()
                    .filter(l -> l.path().equals(path))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("the reference has no look at " + path));
        }
    }

    /**
     * Samples the pages, looks at each on staging (the reference) and on live, and writes the clone
     * check; returns it. Call on a fresh clone, before any change is applied.
     */
    public QaReport capture(String releaseId, int round, Site site, List<String> qaPaths) throws IOException {
        Path dir = dir(releaseId, round);
        FileTreeCopier.deleteTree(dir);
        Files.createDirectories(dir);
        PageDiscovery.Sample sample = qa.discoverPages()
                ? new PageDiscovery(fetcher).sample(site.live().baseUrl(), qaPaths, qa.maxPages())
                : new PageDiscovery.Sample(
                        qaPaths.stream()
                                .map(p -> new PageDiscovery.SampledPage(p, "not classified"))
                                .toList(),
                        List.of(),
                        null);
        List<PageDiscovery.SampledPage> pages = sample.pages();
        record Pair(PageLooks.Look live, PageLooks.Look staging) {}
        List<Pair> pairs = BrowserSessions.map(
                qa,
                pages.size(),
                site.staging().baseUrl(),
                access.token(site.id()),
                StepProgress.start("pages looked at on live and on staging before the changes", pages.size()),
                (browser, i) -> {
                    String path = pages.get(i).path();
                    PageLooks.Look live = PageLooks.look(
                            browser,
                            fetcher,
                            java.util.Map.of(),
                            site.live().url(path),
                            path,
                            qa.viewports(),
                            site.qa().masks(),
                            dir,
                            "page-" + (i + 1) + "-live",
                            m -> m);
                    PageLooks.Look staging = PageLooks.look(
                            browser,
                            fetcher,
                            access.headers(site.id()),
                            site.staging().url(path),
                            path,
                            qa.viewports(),
                            site.qa().masks(),
                            dir,
                            "page-" + (i + 1) + "-staging",
                            BrowserQa.asLive(site));
                    return new Pair(live, staging);
                });
        Reference reference = new Reference(
                pages, pairs.stream().map(Pair::staging).toList(), DefaultChecks.flows(sample.features()), dir);
        json.writeValue(dir.resolve("reference.json").toFile(), reference);

        List<QaReport.PageResult> results = new ArrayList<>();
        for (Pair p : pairs) results.add(PageLooks.compare(p.live(), dir, p.staging(), dir, viewport -> 0));
        List<QaReport.Finding> findings =
                BrowserQa.findings(results, List.of(), List.of(), List.of(), ReportSides.CLONE);
        String summary = findings.isEmpty()
                ? "Staging before the changes looks and behaves like live on all " + results.size() + " page(s)"
                : "Staging before the changes differs from live in " + findings.size()
                        + " way(s) (cloning or sanitizing, not the release): "
                        + String.join(
                                "; ",
                                findings.stream()
                                        .map(f -> f.where() + ": " + f.message())
                                        .limit(5)
                                        .toList())
                        + (findings.size() > 5 ? "; …" : "");
        String base = app.publicUrl() + "/reports/" + releaseId + "/round-" + round + "/" + DIR + "/";
        QaReport check = new QaReport(
                releaseId,
                round,
                findings.isEmpty() ? QaVerdict.PASS : QaVerdict.WARN,
                List.of(summary),
                List.of(),
                findings,
                results,
                List.of(),
                List.of(),
                List.of(),
                null,
                base + "index.html",
                base + "report.json",
                pages);
        json.writeValue(dir.resolve("report.json").toFile(), check);
        Files.writeString(
                dir.resolve("index.html"), QaReportWriter.cloneCheckHtml(check, site), StandardCharsets.UTF_8);
        return check;
    }

    public Reference read(String releaseId, int round) throws IOException {
        Path file = dir(releaseId, round).resolve("reference.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(
                    "No look at staging before the changes was taken for round " + round + " of release " + releaseId
                            + " (phase 2 takes it right after the clone); QA judges a release only against it. Start the release again.");
        }
        Reference stored = json.readValue(file.toFile(), Reference.class);
        return new Reference(stored.pages(), stored.looks(), stored.defaultChecks(), file.getParent());
    }

    Path dir(String releaseId, int round) {
        return app.roundReportsDir(releaseId, round).resolve(DIR);
    }
}
