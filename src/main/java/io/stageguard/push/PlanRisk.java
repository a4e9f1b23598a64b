package io.stageguard.push;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How risky a push is, read from what it changes: the input of the "Confirm the deployment plan?"
 * decision table (dmn/deployment-confirmation.dmn). Ordered from least to most risky.
 */
public enum PlanRisk {
    /** only patch updates of packages live already runs */
    LOW,
    /** minor updates, or versions that are not semver */
    NORMAL,
    /** new code on live, a major update or a downgrade, or a database migration */
    HIGH;

    public PlanRisk max(PlanRisk other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    /** As the decision table and the forms read it. */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
