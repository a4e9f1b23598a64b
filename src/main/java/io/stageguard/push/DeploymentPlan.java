package io.stageguard.push;

import java.util.List;

/**
 * What a push will do, in order, built from the frozen manifest after sign-off and shown before
 * anything is written: the steps, how long they should take judging by staging, the risk, and how
 * live would be put back.
 *
 * @param estimatedSeconds from staging's own timings: its clone (for the backup), the install of the
 *                         same packages, and a fixed allowance per page to verify
 * @param rollbackSeconds  how long putting live back should take: estimated from staging's clone when
 *                         the plan is made, then what the rollback rehearsal before the push measured
 * @param rollbackRehearsed whether {@code rollbackSeconds} was measured by the rehearsal
 */
public record DeploymentPlan(
        String releaseId,
        String siteId,
        PlanRisk risk,
        List<String> riskReasons,
        List<Step> steps,
        long estimatedSeconds,
        List<RollbackStep> rollbackSteps,
        double rollbackSeconds,
        boolean rollbackRehearsed) {

    /** The plan with the rollback time the rehearsal measured. */
    public DeploymentPlan withRehearsedRollback(long millis) {
        return new DeploymentPlan(
                releaseId, siteId, risk, riskReasons, steps, estimatedSeconds, rollbackSteps, millis / 1000.0, true);
    }

    public enum StepKind {
        DRIFT_CHECK,
        BACKUP,
        PACKAGE,
        SERVE_NEW_CODE,
        DATABASE,
        PURGE,
        VERIFY
    }

    public record Step(int position, StepKind kind, String description) {}

    /** How live would be put back if the push fails or is rolled back. */
    public record RollbackStep(int position, String description) {}

    /** One line for Cockpit and the status API. */
    public String summary() {
        return steps.size() + " steps, about " + estimatedSeconds + " s, risk " + risk.label()
                + (riskReasons.isEmpty() ? "" : " (" + String.join("; ", riskReasons) + ")")
                + String.format(
                        java.util.Locale.ROOT,
                        "; rollback %.1f s (%s)",
                        rollbackSeconds,
                        rollbackRehearsed ? "rehearsed" : "estimated");
    }
}
