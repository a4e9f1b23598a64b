package io.stageguard.qa;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** The quality gate's word on a QA round, worst last. */
public enum QaVerdict {
    PASS("pass"),
    WARN("warn"),
    FAIL("fail");

    private final String label;

    QaVerdict(String label) {
        this.label = label;
    }

    /** As the decision table, the report JSON and the {@code qaVerdict} variable write it. */
    @JsonValue
    public String label() {
        return label;
    }

    /** A table's answer; one it should not give (a typo in an edited table) counts as a failure, never as a pass. */
    @JsonCreator
    public static QaVerdict fromTable(String label) {
        return Arrays.stream(values())
                .filter(v -> v.label.equals(label))
                .findFirst()
                .orElse(FAIL);
    }

    public QaVerdict worst(QaVerdict other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
