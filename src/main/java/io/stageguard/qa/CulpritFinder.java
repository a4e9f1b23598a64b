package io.stageguard.qa;

import io.stageguard.clone.StagingAccess;
import io.stageguard.clone.StagingSnapshot;
import io.stageguard.site.Site;
import io.stageguard.site.UserFlow;
import io.stageguard.update.Change;
import io.stageguard.update.ChangeInstaller;
import io.stageguard.update.ChangeSetApplier;
import io.stageguard.update.ServedCodeRefresher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * broken form): staging is put back to its snapshot taken right after the clone (the state the
 * round's reference shows; {@link StagingSnapshot}), a subset of the changes is applied in the
 * tested order, and only the affected pages and flows are checked again. The empty set is tried first, as
 * a control: what shows without any change is "present before the changes", never a change's doing,
 * and does not count against the release. Then the set is bisected; problems no half shows alone are
 * tried with pairs, which finds conflicts ("plugin X breaks /checkout/ together with theme Y").
 * Staging is left with the whole change set applied, as QA saw it.
 */
@Component
public class CulpritFinder {
    private final StagingSnapshot snapshots;
    private final StagingAccess access;
    private final BrowserQa qa;
    private final QaProperties properties;
    private final ChangeInstaller installer;
    private final ServedCodeRefresher served;
    private final QualityGate gate;
    private final StagingReference references;

    public CulpritFinder(
            StagingSnapshot snapshots,
            StagingAccess access,
            BrowserQa qa,
            QaProperties properties,
            ChangeInstaller installer,
            ServedCodeRefresher served,
            QualityGate gate,
            StagingReference references) {
        this.references = references;
        this.gate = gate;
        this.served = served;
        this.installer = installer;
        this.snapshots = snapshots;
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
    public record Trial(List<Integer> subset, Set<String> found) {}

    /**
     * Which changes cause each finding key: one index (alone) or two (together); absent when not
     * reproduced. {@code presentBefore}: the keys the empty change set shows too.
     */
    public record Search(Map<String, List<Integer>> culprits, Set<String> presentBefore, List<Trial> trials) {}

    /** A finding whose cause only trials can tell: no file path names it (with one change, it was blamed on that change unseen). */
    static boolean searchable(QaReport.Finding f) {
        return f.culprit() == null || Attribution.BY_ONLY_CHANGE.equals(f.attributedBy());
    }

    public QaReport find(QaReport report, Site site, List<Change> changes) throws IOException {
        List<QaReport.Finding> open =
                report.findings().stream().filter(CulpritFinder::searchable).toList();
        Set<String> keys =
                open.stream().map(QaReport.Finding::key).collect(Collectors.toCollection(LinkedHashSet::new));
        List<String> paths = open.stream()
                .map(QaReport.Finding::where)
                .filter(w -> w.startsWith("/") && !w.startsWith("/wp-admin/"))
                .distinct()
                .toList();
        List<String> adminPaths = open.stream()
                .map(QaReport.Finding::where)
                .filter(w -> w.startsWith("/wp-admin/"))
                .distinct()
                .toList();
        if (paths.isEmpty() && open.stream().anyMatch(f -> f.kind().fromPhp())) {
            paths = report.pages().stream()
                    .map(QaReport.PageResult::path)
                    .toList(); // log lines come from whichever page ran the code
        }
        List<String> pathsToCheck = paths;
        Set<String> flowNames = open.stream()
                .filter(f -> f.kind() == FindingKind.FLOW)
                .map(QaReport.Finding::where)
                .collect(Collectors.toSet());
        // every trial is judged, like the round, against staging before the changes
        StagingReference.Reference reference = references.read(report.releaseId(), report.round());
        List<UserFlow> flows = reference.flows(site).stream()
                .filter(f -> flowNames.contains(f.name()))
                .toList();
        Set<String> viewportNames = open.stream()
                .map(QaReport.Finding::viewport)
                .filter(v -> v != null)
                .collect(Collectors.toSet());
        List<QaProperties.Viewport> viewports = properties.viewports().stream()
                .filter(v ->
                        viewportNames.isEmpty() ? v == properties.viewports().get(0) : viewportNames.contains(v.name()))
                .toList();
        Path dir = qa.roundDir(report.releaseId(), report.round()).resolve("bisection");
        int[] trialNumber = {0};
        Map<String, Long> controlNoise = new java.util.HashMap<>();
        Search search;
        try {
            search = search(changes.size(), keys, properties.bisectionTrials(), subset -> {
                Path trialDir = dir.resolve("trial-" + (++trialNumber[0]));
                Files.createDirectories(trialDir);
                reset(site, report, subset.stream().map(changes::get).toList());
                BrowserQa.Observation seen =
                        qa.observe(site, reference, pathsToCheck, viewports, flows, adminPaths, trialDir);
                if (subset.isEmpty()) {
                    // the control has no change: how far its pages' times stray from the reference is this machine's
                    // noise now
                    for (QaReport.PageResult p : seen.pages())
                        controlNoise.put(
                                p.path(),
                                Math.max(0, p.speed().slowdownMillis())
                                        + p.speed().spreadMillis());
                    return seen.findings().stream().map(QaReport.Finding::key).collect(Collectors.toSet());
                }
                return seen.findings().stream()
                        .filter(f -> f.kind() != FindingKind.PERFORMANCE || beyondTheControl(f, seen, controlNoise))
                        .map(QaReport.Finding::key)
                        .collect(Collectors.toSet());
            });
        } finally {
            reset(site, report, changes);
        }
        List<QaReport.Finding> findings = new ArrayList<>();
        for (QaReport.Finding f : report.findings()) {
            List<Integer> culprit = f.culprit() == null ? search.culprits().get(f.key()) : null;
            if (searchable(f) && search.presentBefore().contains(f.key())) {
                findings.add(f.withCulprit(null, Attribution.PRESENT_BEFORE));
            } else {
                findings.add(
                        culprit == null
                                ? f
                                : f.withCulprit(
                                        culprit.stream()
                                                .map(i -> changes.get(i).label())
                                                .collect(Collectors.joining(" together with ")),
                                        Attribution.BY_BISECTION));
            }
        }
        List<String> trials =
                search.trials().stream().map(t -> describeTrial(t, changes)).toList();
        long found = keys.stream().filter(search.culprits()::containsKey).count();
        String summary = "Culprit search over " + changes.size() + " change(s) in " + trials.size()
                + " trial(s) (the empty set first, then halves, then pairs)"
                + " named the culprit of " + found + " of " + keys.size() + " problem(s) without a file path"
                + (search.presentBefore().isEmpty()
                        ? ""
                        : "; " + search.presentBefore().size() + " appear without any change and are not the release's")
                + (found + search.presentBefore().size() < keys.size()
                        ? "; the rest appear with the whole set only, or the trial budget ran out"
                        : "");
        // problems that were there before any change do not count against the release
        List<QaReport.Finding> counted = findings.stream()
                .filter(f -> !Attribution.PRESENT_BEFORE.equals(f.attributedBy()))
                .toList();
        QualityGate.Verdict verdict = gate.judge(counted, report.pages(), Change.updatesCore(changes));
        return new QaReport(
                report.releaseId(),
                report.round(),
                verdict.verdict(),
                verdict.reasons(),
                report.changes(),
                findings,
                report.pages(),
                report.flows(),
                report.adminScreens(),
                report.phpLog(),
                new QaReport.CulpritSearch(trials, summary),
                report.htmlUrl(),
                report.jsonUrl(),
                report.templates());
    }

    /** A trial's slowdown of a page counts only beyond what the control, without any change, showed there. */
    private static boolean beyondTheControl(
            QaReport.Finding slowdown, BrowserQa.Observation seen, Map<String, Long> controlNoise) {
        return seen.pages().stream()
                .filter(p -> p.path().equals(slowdown.where()))
                .findFirst()
                .map(p -> p.speed().slowdownMillis() > controlNoise.getOrDefault(p.path(), 0L))
                .orElse(true);
    }

    /** A trial in words: "plugin a 1.0, plugin b 2.0 -> visual /cart/ desktop; flow checkout". */
    private static String describeTrial(Trial trial, List<Change> changes) {
        String set = trial.subset().isEmpty()
                ? "no change (the control)"
                : trial.subset().stream().map(i -> changes.get(i).label()).collect(Collectors.joining(", "));
        return set + " -> "
                + (trial.found().isEmpty()
                        ? "no problem"
                        : trial.found().stream()
                                .map(k -> k.replace("|", " ").strip())
                                .collect(Collectors.joining("; ")));
    }

    /** Staging as it was right after the clone, plus the given changes in order. */
    private void reset(Site site, QaReport report, List<Change> subset) throws IOException {
        snapshots.restore(site, report.releaseId(), report.round());
        for (Change change : subset) installer.install(site.staging(), change, ChangeInstaller.newOnLive(site, change));
        ChangeSetApplier.requireServed(served, access, site, subset);
    }

    /**
     * The search itself, independent of how a subset is tried, within {@code budget} trials:
     * <ol>
     *   <li>the control: the empty change set. What it shows is there without any change (cloning,
     *       sanitized data, the site itself) and is never blamed on one;</li>
     *   <li>bisection: the set is halved and each half tried (the changes keep their order); a
     *       problem a half shows is followed into that half until one change is left;</li>
     *   <li>pairs, for what no half showed alone: problems that need two changes together.</li>
     * </ol>
     * The whole set is known to show every key (the QA round saw them), so it is not tried again.
     */
    public static Search search(int changes, Set<String> keys, int budget, TrialRunner runner) throws IOException {
        Map<String, List<Integer>> culprits = new LinkedHashMap<>();
        List<Trial> trials = new ArrayList<>();
        Set<String> presentBefore = budget > 0 ? run(runner, List.of(), keys, trials) : Set.of();
        Set<String> sought = new LinkedHashSet<>(keys);
        sought.removeAll(presentBefore);
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < changes; i++) all.add(i);
        bisect(all, sought, budget, runner, culprits, trials, keys);
        for (int i = 0; i < changes; i++) {
            for (int j = i + 1; j < changes; j++) {
                if (culprits.keySet().containsAll(sought) || trials.size() >= budget)
                    return new Search(culprits, presentBefore, trials);
                Set<String> found = run(runner, List.of(i, j), keys, trials);
                found.retainAll(sought);
                for (String key : found) culprits.putIfAbsent(key, List.of(i, j));
            }
        }
        return new Search(culprits, presentBefore, trials);
    }

    /** Follows the {@code sought} keys, which {@code set} is known to show, into the half of it that shows them too. */
    private static void bisect(
            List<Integer> set,
            Set<String> sought,
            int budget,
            TrialRunner runner,
            Map<String, List<Integer>> culprits,
            List<Trial> trials,
            Set<String> keys)
            throws IOException {
        if (sought.isEmpty()) return;
        if (set.size() == 1) {
            for (String key : sought) culprits.putIfAbsent(key, List.copyOf(set));
            return;
        }
        Set<String> unexplained = new LinkedHashSet<>(sought);
        for (List<Integer> half : List.of(set.subList(0, set.size() / 2), set.subList(set.size() / 2, set.size()))) {
            if (unexplained.isEmpty() || trials.size() >= budget) return;
            Set<String> found = run(runner, List.copyOf(half), keys, trials);
            found.retainAll(unexplained);
            unexplained.removeAll(found);
            bisect(half, found, budget, runner, culprits, trials, keys);
        }
        // what neither half shows alone needs changes from both: left to the pairs
    }

    private static Set<String> run(TrialRunner runner, List<Integer> subset, Set<String> keys, List<Trial> trials)
            throws IOException {
        Set<String> found = new LinkedHashSet<>(runner.observe(subset));
        found.retainAll(keys);
        trials.add(new Trial(subset, java.util.Collections.unmodifiableSet(new LinkedHashSet<>(found))));
        return found;
    }
}
