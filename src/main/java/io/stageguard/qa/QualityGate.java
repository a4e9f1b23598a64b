package io.stageguard.qa;

import io.stageguard.DecisionTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The verdict of a QA round, decided by the {@code quality-gate} DMN decision table from counts
 * and worst values of the round's findings. In the application the newest deployed version
 * decides (and Cockpit shows each evaluation); outside it, the table in {@code dmn/}.
 */
@Component
public class QualityGate {
    public static final String DECISION = "quality-gate";
    private final Function<Map<String, Object>, List<Map<String, Object>>> decision;

    public record Verdict(QaVerdict verdict, List<String> reasons) {}

    @Autowired
    public QualityGate(DecisionTable tables) {
        this(tables.deployed(DECISION));
    }

    QualityGate(Function<Map<String, Object>, List<Map<String, Object>>> decision) {
        this.decision = decision;
    }

    /** The gate as the file in {@code dmn/} defines it, evaluated by a standalone DMN engine. */
    public static QualityGate fromModel() throws IOException {
        return new QualityGate(DecisionTable.fromModel(DECISION));
    }

    /** @param coreUpdate whether the release updates WordPress core, which is expected to change how pages look */
    public Verdict judge(List<QaReport.Finding> findings, List<QaReport.PageResult> pages, boolean coreUpdate) {
        List<Map<String, Object>> matches = decision.apply(inputs(findings, pages, coreUpdate));
        List<String> reasons = new ArrayList<>();
        QaVerdict verdict = QaVerdict.PASS;
        for (Map<String, Object> match : matches) {
            String v = String.valueOf(match.get("verdict"));
            reasons.add(v + ": " + match.get("reason"));
            verdict = verdict.worst(QaVerdict.fromTable(v));
        }
        return new Verdict(verdict, reasons);
    }

    /** The decision's inputs: how many findings of each kind, the largest visual difference, the worst slowdown, whether core changes. */
    static Map<String, Object> inputs(
            List<QaReport.Finding> findings, List<QaReport.PageResult> pages, boolean coreUpdate) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("serverErrors", count(findings, FindingKind.HTTP));
        in.put("phpFatals", count(findings, FindingKind.PHP_FATAL));
        in.put("phpWarnings", count(findings, FindingKind.PHP_WARNING));
        in.put("newConsoleErrors", count(findings, FindingKind.CONSOLE));
        in.put("failedRequests", count(findings, FindingKind.REQUEST));
        in.put("failedFlows", count(findings, FindingKind.FLOW));
        in.put(
                "maxVisualDifference",
                pages.stream()
                        .flatMap(p -> p.shots().stream())
                        .mapToDouble(QaReport.Shot::difference)
                        .max()
                        .orElse(0));
        // a slowdown within the noise of its own samples is no slowdown
        in.put(
                "worstSlowdownMillis",
                pages.stream()
                        .filter(p -> p.speed() != null && p.speed().slowerBeyond(BrowserQa.SLOWDOWN_NOISE_MILLIS))
                        .mapToLong(p -> p.speed().slowdownMillis())
                        .max()
                        .orElse(0));
        in.put("coreUpdate", coreUpdate);
        return in;
    }

    private static int count(List<QaReport.Finding> findings, FindingKind kind) {
        return (int) findings.stream().filter(f -> f.kind() == kind).count();
    }
}
