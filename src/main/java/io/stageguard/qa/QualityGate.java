package io.stageguard.qa;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns page results into findings; any finding fails the gate. */
public final class QualityGate {
    private QualityGate() {
    }

    public static List<String> findings(List<QaReport.PageResult> pages, double maxPixelDifference) {
        List<String> findings = new ArrayList<>();
        for (QaReport.PageResult p : pages) {
            if (p.stagingStatus() >= 500) {
                findings.add(p.path() + ": staging answered HTTP " + p.stagingStatus());
            } else if (p.stagingStatus() >= 400 && p.liveStatus() < 400) {
                findings.add(p.path() + ": staging answered HTTP " + p.stagingStatus() + " where live answered " + p.liveStatus());
            }
            if (p.stagingPhpFatal()) {
                findings.add(p.path() + ": PHP fatal error in the staging page");
            }
            for (String error : p.newConsoleErrors()) {
                findings.add(p.path() + ": new console error: " + error);
            }
            if (p.pixelDifference() > maxPixelDifference) {
                findings.add(String.format(Locale.ROOT, "%s: %.1f%% of pixels differ from live (limit %.1f%%)",
                        p.path(), p.pixelDifference() * 100, maxPixelDifference * 100));
            }
        }
        return findings;
    }
}
