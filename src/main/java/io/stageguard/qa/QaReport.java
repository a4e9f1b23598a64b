package io.stageguard.qa;

import java.util.List;

/**
 * What one QA round found, live against staging, and the quality gate's verdict. Written as
 * {@code report.json} next to the HTML report; culprit search updates it in place.
 *
 * @param verdict  pass, warn (pass with warnings the approvers see) or fail
 * @param reasons  why, in the words of the quality-gate decision table
 * @param changes  the change set as tested, in order ("plugin slug 1.2.3")
 * @param culpritSearch how culprits were searched for, if they were
 * @param templates the template each page stands for ("single post", "category archive"), as discovery classified them
 */
public record QaReport(
        String releaseId,
        int round,
        QaVerdict verdict,
        List<String> reasons,
        List<String> changes,
        List<Finding> findings,
        List<PageResult> pages,
        List<FlowResult> flows,
        List<AdminResult> adminScreens,
        List<PhpErrorLog.Entry> phpLog,
        CulpritSearch culpritSearch,
        String htmlUrl,
        String jsonUrl,
        List<PageDiscovery.SampledPage> templates) {

    public QaReport {
        templates = templates == null ? List.of() : templates;
    }

    /**
     * One problem. {@code where}: the page path or flow name. {@code culprit}: the change that caused it
     * ("plugin x 1.2.0"; "plugin x 1.2.0 together with theme y 2.0"), or null while unknown;
     * {@code attributedBy}: how that was established (file path, only change, bisection).
     */
    public record Finding(
            FindingKind kind, String where, String viewport, String message, String culprit, String attributedBy) {
        public Finding withCulprit(String culprit, String attributedBy) {
            return new Finding(kind, where, viewport, message, culprit, attributedBy);
        }

        /** Identifies the same problem across bisection trials. */
        public String key() {
            return kind.label() + "|" + where + "|" + (viewport == null ? "" : viewport);
        }
    }

    /** A problem an earlier round found, by where it was and what it was. */
    public record Resolved(String where, String problem) {}

    /** The problems {@code earlier} found that this report no longer finds: the SOP's "confirm issue resolution". */
    public List<Resolved> resolvedSince(QaReport earlier) {
        java.util.Set<String> now = findings.stream().map(Finding::key).collect(java.util.stream.Collectors.toSet());
        return earlier.findings().stream()
                .filter(f -> !now.contains(f.key()))
                .map(f ->
                        new Resolved(f.where() + (f.viewport() == null ? "" : " (" + f.viewport() + ")"), f.message()))
                .distinct()
                .toList();
    }

    public record PageResult(
            String path,
            int liveStatus,
            int stagingStatus,
            boolean stagingPhpFatal,
            List<Shot> shots,
            List<String> liveConsoleErrors,
            List<String> newConsoleErrors,
            List<String> newFailedRequests,
            Speed speed) {
        public PageResult withSpeed(Speed measured) {
            return new PageResult(
                    path,
                    liveStatus,
                    stagingStatus,
                    stagingPhpFatal,
                    shots,
                    liveConsoleErrors,
                    newConsoleErrors,
                    newFailedRequests,
                    measured);
        }
    }

    /** One viewport of one page: the share of pixels that visibly differ, and the three images. */
    public record Shot(String viewport, double difference, String liveImage, String stagingImage, String diffImage) {}

    /**
     * Server response time of the two sides compared (the fastest of each side's samples: noise on a
     * shared machine only ever adds time), the samples themselves (each load's time to first byte),
     * and what the browser measured.
     */
    public record Speed(
            long liveServerMillis,
            long stagingServerMillis,
            Browser.Timing live,
            Browser.Timing staging,
            List<Long> liveSamples,
            List<Long> stagingSamples) {
        public Speed {
            if (liveSamples == null || liveSamples.isEmpty()) liveSamples = List.of(liveServerMillis);
            if (stagingSamples == null || stagingSamples.isEmpty()) stagingSamples = List.of(stagingServerMillis);
        }

        public long slowdownMillis() {
            return stagingServerMillis - liveServerMillis;
        }

        /** How far apart a side's own samples lie, the wider side's: what noise alone did to the same page. */
        public long spreadMillis() {
            return Math.max(range(liveSamples), range(stagingSamples));
        }

        /**
         * Slower beyond noise: by more than {@code floorMillis} and by more than the spread of the
         * samples. A page that sleeps adds the same time to every load; a busy machine adds time
         * unevenly, so its samples spread as far as the difference it makes.
         */
        public boolean slowerBeyond(long floorMillis) {
            long slowdown = slowdownMillis();
            return slowdown > floorMillis && slowdown > spreadMillis();
        }

        /** The staging side with more samples taken later (to see whether a slowdown reproduces). */
        public Speed withMoreStagingSamples(List<Long> more) {
            List<Long> all = new java.util.ArrayList<>(stagingSamples);
            all.addAll(more);
            return new Speed(
                    liveServerMillis,
                    all.stream().mapToLong(Long::longValue).min().orElse(stagingServerMillis),
                    live,
                    staging,
                    liveSamples,
                    all);
        }

        private static long range(List<Long> samples) {
            return samples.stream().mapToLong(Long::longValue).max().orElse(0)
                    - samples.stream().mapToLong(Long::longValue).min().orElse(0);
        }
    }

    public record FlowResult(String name, boolean passed, List<StepResult> steps) {}

    /** A flow step as it went; a failed step keeps a screenshot and the page's HTML. */
    public record StepResult(String step, boolean passed, String error, String screenshot, String html) {}

    /**
     * A wp-admin screen on staging, loaded with the site's QA account. There is no live side: logging
     * into live would write to it.
     *
     * @param rendered whether the screen shows WordPress's admin body
     */
    public record AdminResult(
            String path,
            boolean rendered,
            boolean phpFatal,
            List<String> consoleErrors,
            List<String> failedRequests,
            String screenshot) {}

    /** @param trials subsets tried, in words: "plugin a 1.0, plugin b 2.0 -> visual /cart/ desktop" */
    public record CulpritSearch(List<String> trials, String summary) {}

    public boolean passed() {
        return verdict != QaVerdict.FAIL;
    }

    public String summary() {
        String outcome = switch (verdict) {
            case PASS -> "QA passed";
            case WARN -> "QA passed with warnings";
            case FAIL -> "QA failed";
        };
        return outcome + " in round " + round + " on " + pages.size() + " page(s)"
                + (flows.isEmpty() ? "" : " and " + flows.size() + " flow(s)")
                + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons));
    }
}
