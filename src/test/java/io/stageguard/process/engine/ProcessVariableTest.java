package io.stageguard.process.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How variables are stored: a text longer than the engine's history column is cut, and says so. */
class ProcessVariableTest {

    @Test
    void aTextTooLongForTheEnginesHistoryIsCutAndSaysWhereTheRestIs() {
        Map<String, Object> variables = new HashMap<>();
        // a failed round with many findings: their list became longer than 4000 characters
        ReleaseVariables.REVISE_REASON.putInto(variables, "finding; ".repeat(700));
        String stored = (String) variables.get("reviseReason");
        assertThat(stored)
                .hasSize(ProcessVariable.MAX_TEXT)
                .startsWith("finding; finding;")
                .endsWith("the reports have all of it)");

        ReleaseVariables.REVISE_REASON.putInto(variables, "short");
        assertThat(variables.get("reviseReason")).isEqualTo("short");
    }
}
