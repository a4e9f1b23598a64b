package io.stageguard.qa;

import java.util.List;

/** What one QA round found: per page, live against staging, and the gate's verdict. */
public record QaReport(String releaseId, int round, boolean passed, List<String> findings, List<PageResult> pages,
                       String htmlUrl, String jsonUrl) {

    public record PageResult(String path, int liveStatus, int stagingStatus, double pixelDifference,
                             boolean stagingPhpFatal, List<String> liveConsoleErrors, List<String> newConsoleErrors,
                             String liveImage, String stagingImage, String diffImage) {
    }

    public String summary() {
        return (passed ? "QA passed" : "QA failed") + " in round " + round + " on " + pages.size() + " page(s)"
                + (findings.isEmpty() ? "" : ": " + String.join("; ", findings));
    }
}
