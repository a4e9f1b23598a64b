package io.stageguard.qa;

import java.util.Locale;

/**
 * What the two sides of a comparison are, in the words findings and reports use: staging before
 * and after the changes in a QA round; live and staging before the changes when the clone is
 * checked; live before and after the push when phase 5 verifies live the same way.
 */
enum ReportSides {
    QA_ROUND("staging before the changes", "staging after them", "Staging PHP error log during this round"),
    CLONE("live", "staging before the changes", "Staging PHP error log while it was looked at"),
    PUSH("before", "after", "Live's PHP error log since right before the push");

    /** the reference side (live; live before the push) and the side judged (staging; live after it), as table headings say them */
    final String first;

    final String second;
    final String log;

    ReportSides(String first, String second, String log) {
        this.first = first;
        this.second = second;
        this.log = log;
    }

    String statusFinding(int firstStatus, int secondStatus) {
        return switch (this) {
            case QA_ROUND ->
                "staging answers HTTP " + secondStatus + " with the changes, " + firstStatus + " before them";
            case CLONE -> "staging answers HTTP " + secondStatus + " where live answers " + firstStatus;
            case PUSH -> "live answers HTTP " + secondStatus + " after the push, " + firstStatus + " before it";
        };
    }

    String slowdownFinding(QaReport.Speed speed) {
        return String.format(
                Locale.ROOT,
                switch (this) {
                    case QA_ROUND ->
                        "answers %d ms slower with the changes (fastest of %d samples before: %d ms, of %d after: %d ms; the samples spread %d ms)";
                    case CLONE ->
                        "answers %d ms slower on staging than on live (fastest of %d samples on live: %d ms, of %d on staging: %d ms; the samples spread %d ms)";
                    case PUSH ->
                        "answers %d ms slower than before the push (fastest of %d samples before: %d ms, of %d after: %d ms; the samples spread %d ms)";
                },
                speed.slowdownMillis(),
                speed.liveSamples().size(),
                speed.liveServerMillis(),
                speed.stagingSamples().size(),
                speed.stagingServerMillis(),
                speed.spreadMillis());
    }
}
