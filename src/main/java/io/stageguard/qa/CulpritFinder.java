package io.stageguard.qa;

import io.stageguard.clone.StagingAccess;
import io.stageguard.clone.StagingCloner;
import io.stageguard.site.Site;
import io.stageguard.site.UserFlow;
import io.stageguard.update.Change;
import io.stageguard.update.ChangeInstaller;
import io.stageguard.update.ChangeSetApplier;
import io.stageguard.update.ServedCodeRefresher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Finds which change causes a problem that carries no file path (a layout shift, a slow page, a
 * broken form) by bisection over the change set: staging is reset to live's state, a subset of the
 * changes is applied in the tested order, and only the affected pages and flows are checked again.
 * Each change alone is tried first; problems no single change reproduces are tried with pairs, which
 * finds conflicts ("plugin X breaks /checkout/ together with theme Y"). Staging is left with the
 * whole change set applied, as QA saw it.
 */
@Component
public class CulpritFinder {
    private final StagingCloner cloner;
    private final StagingAccess access;
    private final BrowserQa qa;
    private final QaProperties properties;
    private final ChangeInstaller installer;
    private final ServedCodeRefresher served;

    public CulpritFinder(StagingCloner cloner, StagingAccess access, BrowserQa qa, QaProperties properties, ChangeInstaller installer,
                         ServedCodeRefresher served) {
        this.served = served;
        this.installer = installer;
        this.cloner = cloner;
        this.access = access;
        this.qa = qa;
        this.properties = properties;
    }

    /** A way to learn which finding keys a subset of the change set (indexes, in order) produces. */
    @FunctionalInterface
    public interface TrialRunner {
        Set<String> observe(List<Integer> subset) throws IOException;
    }

    /** One subset tried, and which of the sought finding keys it produced. */
    public record Trial(List<Integer> subset, Set<String> found) {
    }

    /** Which changes cause each finding key: one index (alone) or two (together); absent when not reproduced. */
    public record Search(Map<String, List<Integer>> culprits, List<Trial> trials) {
    }

    public QaReport find(QaReport report, Site site, List<Change> changes) throws IOException {
        List<QaReport.Finding> open = report.findings().stream().filter(f -> f.culprit() == null).toList();
        Set<String> keys = open.stream().map(QaReport.Finding::key).collect(Collectors.toCollection(LinkedHashSet::new));
        List<String> paths = open.stream().map(QaReport.Finding::where).filter(w -> w.startsWith("/") && !w.startsWith("/wp-admin/")).distinct().toList();
        List<String> adminPaths = open.stream().map(QaReport.Finding::where).filter(w -> w.startsWith("/wp-admin/")).distinct().toList();
        if (paths.isEmpty() && open.stream().anyMatch(f -> f.kind().fromPhp())) {
            paths = report.pages().stream().map(QaReport.PageResult::path).toList(); // log lines come from whichever page ran the code
        }
        List<String> pathsToCheck = paths;
        Set<String> flowNames = open.stream().filter(f -> f.kind() == FindingKind.FLOW).map(QaReport.Finding::where).collect(Collectors.toSet());
        List<UserFlow> flows = site.qa().flows().stream().filter(f -> flowNames.contains(f.name())).toList();
        Set<String> viewportNames = open.stream().map(QaReport.Finding::viewport).filter(v -> v != null).collect(Collectors.toSet());
        List<QaProperties.Viewport> viewports = properties.viewports().stream()
                .filter(v -> viewportNames.isEmpty() ? v == properties.viewports().get(0) : viewportNames.contains(v.name())).toList();
        Path dir = qa.roundDir(report.releaseId(), report.round()).resolve("bisection");
        int[] trialNumber = {0};
        Search search;
        try {
            search = search(changes.size(), keys, properties.bisectionTrials(), subset -> {
                Path trialDir = dir.resolve("trial-" + (++trialNumber[0]));
                Files.createDirectories(trialDir);
                reset(site, subset.stream().map(changes::get).toList());
                BrowserQa.Observation seen = qa.observe(site, pathsToCheck, viewports, flows, adminPaths, trialDir);
                return seen.findings().stream().map(QaReport.Finding::key).collect(Collectors.toSet());
            });
        } finally {
            reset(site, changes);
        }
        List<QaReport.Finding> findings = new ArrayList<>();
        for (QaReport.Finding f : report.findings()) {
            List<Integer> culprit = f.culprit() == null ? search.culprits().get(f.key()) : null;
            findings.add(culprit == null ? f : f.withCulprit(culprit.stream().map(i -> changes.get(i).label()).collect(Collectors.joining(" together with ")),
                    Attribution.BY_BISECTION));
        }
        List<String> trials = search.trials().stream().map(t -> describeTrial(t, changes)).toList();
        long found = keys.stream().filter(search.culprits()::containsKey).count();
        String summary = "Bisection over " + changes.size() + " changes in " + trials.size() + " trial(s) named the culprit of "
                + found + " of " + keys.size() + " problem(s) without a file path"
                + (found < keys.size() ? "; the rest appear with the whole set only, or the trial budget ran out" : "");
        return new QaReport(report.releaseId(), report.round(), report.verdict(), report.reasons(), report.changes(), findings,
                report.pages(), report.flows(), report.adminScreens(), report.phpLog(), new QaReport.CulpritSearch(trials, summary), report.htmlUrl(), report.jsonUrl());
    }

    /** A trial in words: "plugin a 1.0, plugin b 2.0 -> visual /cart/ desktop; flow checkout". */
    private static String describeTrial(Trial trial, List<Change> changes) {
        String set = trial.subset().stream().map(i -> changes.get(i).label()).collect(Collectors.joining(", "));
        return set + " -> " + (trial.found().isEmpty() ? "no problem"
                : trial.found().stream().map(k -> k.replace("|", " ").strip()).collect(Collectors.joining("; ")));
    }

    /** Staging as live is, plus the given changes in order. */
    private void reset(Site site, List<Change> subset) throws IOException {
        cloner.cloneFiles(site, access.tokenSha256(site.id()));
        try {
            cloner.cloneDatabase(site);
        } catch (SQLException e) {
            throw new IOException("could not reset the staging database: " + e.getMessage(), e);
        }
        for (Change change : subset) installer.install(site.staging(), change, ChangeInstaller.newOnLive(site, change));
        ChangeSetApplier.requireServed(served, access, site, subset);
    }

    /**
     * The search itself, independent of how a subset is tried: every change alone, then pairs for
     * what is still unexplained, within {@code budget} trials.
     */
    public static Search search(int changes, Set<String> keys, int budget, TrialRunner runner) throws IOException {
        Map<String, List<Integer>> culprits = new LinkedHashMap<>();
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < changes && trials.size() < budget; i++) {
            Set<String> found = run(runner, List.of(i), keys, trials);
            for (String key : found) culprits.putIfAbsent(key, List.of(i));
        }
        for (int i = 0; i < changes; i++) {
            for (int j = i + 1; j < changes; j++) {
                if (culprits.keySet().containsAll(keys) || trials.size() >= budget) return new Search(culprits, trials);
                Set<String> found = run(runner, List.of(i, j), keys, trials);
                for (String key : found) culprits.putIfAbsent(key, List.of(i, j));
            }
        }
        return new Search(culprits, trials);
    }

    private static Set<String> run(TrialRunner runner, List<Integer> subset, Set<String> keys, List<Trial> trials) throws IOException {
        Set<String> found = new LinkedHashSet<>(runner.observe(subset));
        found.retainAll(keys);
        trials.add(new Trial(subset, found));
        return found;
    }
}
