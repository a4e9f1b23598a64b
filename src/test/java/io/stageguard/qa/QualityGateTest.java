package io.stageguard.qa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The quality-gate decision table as shipped in dmn/, evaluated by Camunda's DMN engine. */
class QualityGateTest {
    private final QualityGate gate;

    QualityGateTest() throws Exception {
        gate = QualityGate.fromModel();
    }

    private static QaReport.Finding finding(FindingKind kind) {
        return new QaReport.Finding(kind, "/", null, kind.label(), null, null);
    }

    private static QaReport.PageResult page(double visual, long liveMillis, long stagingMillis) {
        return new QaReport.PageResult(
                "/",
                200,
                200,
                false,
                List.of(new QaReport.Shot("desktop", visual, "l", "s", "d")),
                List.of(),
                List.of(),
                List.of(),
                new QaReport.Speed(liveMillis, stagingMillis, null, null, null, null));
    }

    /**
     * A page that sleeps adds the same time to every load; a busy machine adds time unevenly. A
     * difference counts only beyond the floor and beyond the spread of either side's samples.
     */
    @Test
    void aSlowdownCountsOnlyBeyondTheSpreadOfItsSamplesAndTheFloor() {
        QaReport.Speed sleeps = new QaReport.Speed(80, 690, null, null, List.of(80L, 84L), List.of(690L, 695L, 702L));
        assertThat(sleeps.slowerBeyond(BrowserQa.SLOWDOWN_NOISE_MILLIS)).isTrue();
        QaReport.Speed sleepsOnABusyMachine =
                new QaReport.Speed(80, 880, null, null, List.of(80L, 95L), List.of(880L, 1290L, 1010L));
        assertThat(sleepsOnABusyMachine.slowerBeyond(BrowserQa.SLOWDOWN_NOISE_MILLIS))
                .isTrue();
        QaReport.Speed busyMachine =
                new QaReport.Speed(80, 532, null, null, List.of(80L, 90L), List.of(532L, 1240L, 610L));
        assertThat(busyMachine.slowerBeyond(BrowserQa.SLOWDOWN_NOISE_MILLIS))
                .as("452 ms slower, samples 708 ms apart")
                .isFalse();
        QaReport.Speed small = new QaReport.Speed(80, 300, null, null, List.of(80L, 81L), List.of(300L, 301L));
        assertThat(small.slowerBeyond(BrowserQa.SLOWDOWN_NOISE_MILLIS))
                .as("below the floor")
                .isFalse();
        assertThat(small.withMoreStagingSamples(List.of(120L)).stagingServerMillis())
                .as("the fastest sample")
                .isEqualTo(120);

        QaReport.PageResult noisy = new QaReport.PageResult(
                "/",
                200,
                200,
                false,
                List.of(new QaReport.Shot("desktop", 0, "l", "s", "d")),
                List.of(),
                List.of(),
                List.of(),
                busyMachine);
        assertThat(gate.judge(List.of(), List.of(noisy), false).verdict())
                .as("noise is no slowdown for the gate")
                .isEqualTo(QaVerdict.PASS);
    }

    @Test
    void aCleanRoundPasses() {
        QualityGate.Verdict v = gate.judge(List.of(), List.of(page(0, 100, 110)), false);
        assertThat(v.verdict()).isEqualTo(QaVerdict.PASS);
        assertThat(v.reasons()).isEmpty();
    }

    @Test
    void eachHardProblemFailsTheRoundWithItsReason() {
        for (FindingKind kind : List.of(
                FindingKind.HTTP, FindingKind.PHP_FATAL, FindingKind.CONSOLE, FindingKind.REQUEST, FindingKind.FLOW)) {
            QualityGate.Verdict v = gate.judge(List.of(finding(kind)), List.of(page(0, 100, 100)), false);
            assertThat(v.verdict()).as(kind.label()).isEqualTo(QaVerdict.FAIL);
            assertThat(v.reasons()).as(kind.label()).hasSize(1).allMatch(r -> r.startsWith("fail: "));
        }
    }

    @Test
    void warningsAndSmallChangesPassWithWarnings() {
        assertThat(gate.judge(List.of(finding(FindingKind.PHP_WARNING)), List.of(page(0, 100, 100)), false)
                        .verdict())
                .isEqualTo(QaVerdict.WARN);
        assertThat(gate.judge(List.of(finding(FindingKind.PHP_NOTICE)), List.of(page(0, 100, 100)), false)
                        .verdict())
                .isEqualTo(QaVerdict.PASS);
        assertThat(gate.judge(List.of(), List.of(page(0.02, 100, 100)), false).verdict())
                .isEqualTo(QaVerdict.WARN);
        assertThat(gate.judge(List.of(), List.of(page(0, 100, 700)), false).verdict())
                .isEqualTo(QaVerdict.WARN);
    }

    @Test
    void largeVisualChangesAndSlowdownsFail() {
        assertThat(gate.judge(List.of(), List.of(page(0.08, 100, 100)), false).verdict())
                .isEqualTo(QaVerdict.FAIL);
        QualityGate.Verdict slow = gate.judge(List.of(), List.of(page(0, 100, 1600)), false);
        assertThat(slow.verdict()).isEqualTo(QaVerdict.FAIL);
        assertThat(slow.reasons()).containsExactly("fail: a page answers more than a second slower than on live");
    }

    @Test
    void aCoreUpdateMayChangeHowPagesLookWithinBoundsForTheApproversToJudge() {
        QualityGate.Verdict shifted = gate.judge(List.of(), List.of(page(0.12, 100, 100)), true);
        assertThat(shifted.verdict()).isEqualTo(QaVerdict.WARN);
        assertThat(shifted.reasons())
                .containsExactly(
                        "warn: a page looks different after the WordPress core update: the approvers judge the difference");
        assertThat(gate.judge(List.of(), List.of(page(0.3, 100, 100)), true).reasons())
                .containsExactly("fail: more than 25% of a page looks different after the WordPress core update");
        assertThat(gate.judge(List.of(finding(FindingKind.CONSOLE)), List.of(page(0.12, 100, 100)), true)
                        .verdict())
                .as("errors fail a core update as any other")
                .isEqualTo(QaVerdict.FAIL);
    }

    @Test
    void everyMatchingRuleIsListedAndTheWorstVerdictWins() {
        List<QaReport.Finding> findings =
                new ArrayList<>(List.of(finding(FindingKind.PHP_WARNING), finding(FindingKind.CONSOLE)));
        QualityGate.Verdict v = gate.judge(findings, List.of(page(0.01, 100, 100)), false);
        assertThat(v.verdict()).isEqualTo(QaVerdict.FAIL);
        assertThat(v.reasons()).hasSize(3);
    }

    @Test
    void aVerdictTheTableShouldNotGiveCountsAsAFailure() {
        QualityGate edited = new QualityGate(
                inputs -> List.of(java.util.Map.of("verdict", "pas", "reason", "typo in an edited table")));
        QualityGate.Verdict v = edited.judge(List.of(), List.of(page(0, 100, 110)), false);
        assertThat(v.verdict()).isEqualTo(QaVerdict.FAIL);
        assertThat(v.reasons()).containsExactly("pas: typo in an edited table");
    }
}
