package io.stageguard.signoff;

import io.stageguard.DecisionTable;
import io.stageguard.update.ChangeSetApplier.AppliedChange;
import io.stageguard.update.ChangeType;
import io.stageguard.update.VersionStep;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Phase 4's routing: who signs a release off, decided by the {@code release-risk} DMN table from
 * the change set as applied (the riskiest plugin or theme step, the core step, experiments, how
 * many changes, whether every package came from wordpress.org) and the site's tags. In the
 * application the newest deployed version decides and Cockpit shows each evaluation; outside it,
 * the table in {@code dmn/}.
 */
@Component
public class ReleaseRisk {
    public static final String DECISION = "release-risk";
    /** Risk order of a plugin's or theme's step, least first: the riskiest one is the table's input. */
    private static final List<VersionStep> STEP_RISK = List.of(
            VersionStep.SAME,
            VersionStep.PATCH,
            VersionStep.MINOR,
            VersionStep.NEW,
            VersionStep.UNKNOWN,
            VersionStep.MAJOR,
            VersionStep.DOWNGRADE);

    private final Function<Map<String, Object>, List<Map<String, Object>>> decision;

    @Autowired
    public ReleaseRisk(DecisionTable tables) {
        this(tables.deployed(DECISION));
    }

    ReleaseRisk(Function<Map<String, Object>, List<Map<String, Object>>> decision) {
        this.decision = decision;
    }

    /** The table as the file in {@code dmn/} defines it, evaluated by a standalone DMN engine. */
    public static ReleaseRisk fromModel() throws IOException {
        return new ReleaseRisk(DecisionTable.fromModel(DECISION));
    }

    /** What the table reads. */
    public record Inputs(
            String largestStep,
            String coreStep,
            int experiments,
            int changes,
            boolean allFromWordPressOrg,
            List<String> siteTags) {
        Map<String, Object> variables() {
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("largestStep", largestStep);
            in.put("coreStep", coreStep);
            in.put("experiments", experiments);
            in.put("changes", changes);
            in.put("allFromWordPressOrg", allFromWordPressOrg);
            in.put("siteTags", siteTags);
            return in;
        }
    }

    /**
     * Who approves and why.
     *
     * @param clientSignoffNeeded whether the client signs off after the developer
     * @param reasons             the matching rules' reasons
     */
    public record Route(boolean clientSignoffNeeded, List<String> reasons) {
        /** For the forms and the status: "Developer and client approve: updates WordPress core". */
        public String summary() {
            return (clientSignoffNeeded ? "Developer and client approve" : "The developer approves alone") + ": "
                    + String.join("; ", reasons);
        }
    }

    /**
     * The table's inputs for a change set as applied on staging.
     *
     * @param fromWordPressOrg whether a package is one Stageguard fetched from wordpress.org
     */
    public static Inputs inputs(
            List<AppliedChange> applied, Predicate<String> fromWordPressOrg, int experiments, List<String> siteTags) {
        VersionStep riskiest = null;
        String core = "none";
        for (AppliedChange change : applied) {
            VersionStep step = VersionStep.between(change.replaces(), change.version());
            if (change.type() == ChangeType.CORE) {
                core = step.label();
            } else if (change.type().isSetting()) {
                // a setting has no version step; it counts as a change, and as an experiment when it is one
                continue;
            } else if (riskiest == null || STEP_RISK.indexOf(step) > STEP_RISK.indexOf(riskiest)) {
                riskiest = step;
            }
        }
        boolean allFromOrg =
                !applied.isEmpty() && applied.stream().allMatch(c -> fromWordPressOrg.test(c.packagePath()));
        return new Inputs(
                riskiest == null ? "none" : riskiest.label(), core, experiments, applied.size(), allFromOrg, siteTags);
    }

    public Route decide(Inputs inputs) {
        List<String> forClient = new ArrayList<>();
        List<String> forDeveloperAlone = new ArrayList<>();
        for (Map<String, Object> match : decision.apply(inputs.variables())) {
            ("developer and client".equals(match.get("approvers")) ? forClient : forDeveloperAlone)
                    .add(String.valueOf(match.get("reason")));
        }
        if (!forClient.isEmpty()) return new Route(true, forClient);
        if (!forDeveloperAlone.isEmpty()) return new Route(false, forDeveloperAlone);
        // nothing lets the developer approve alone: the client signs off too, as before the table existed
        return new Route(true, List.of("no rule lets the developer approve alone"));
    }
}
