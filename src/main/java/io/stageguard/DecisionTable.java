package io.stageguard;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.engine.DecisionService;
import org.springframework.stereotype.Component;

/**
 * The decision tables of {@code dmn/} as Stageguard's rules call them: inputs in, the matching
 * rules' outputs out. In the application the newest deployed version decides through the engine
 * (and Cockpit shows each evaluation); outside it, in tests of the rules alone, a standalone DMN
 * engine reads the file. The one place a capability reaches the engine (ArchitectureTest).
 */
@Component
public class DecisionTable {
    private final DecisionService decisions;

    public DecisionTable(DecisionService decisions) {
        this.decisions = decisions;
    }

    /** The newest deployed version of the decision {@code key}. */
    public Function<Map<String, Object>, List<Map<String, Object>>> deployed(String key) {
        return inputs -> decisions.evaluateDecisionTableByKey(key, inputs).getResultList();
    }

    /** The decision {@code key} as {@code dmn/<key>.dmn} on the classpath defines it. */
    public static Function<Map<String, Object>, List<Map<String, Object>>> fromModel(String key) throws IOException {
        DmnEngine engine =
                DmnEngineConfiguration.createDefaultDmnEngineConfiguration().buildEngine();
        DmnDecision table;
        try (InputStream in = DecisionTable.class.getResourceAsStream("/dmn/" + key + ".dmn")) {
            if (in == null) throw new IOException("dmn/" + key + ".dmn is not on the classpath");
            table = engine.parseDecision(key, in);
        }
        return inputs -> engine.evaluateDecisionTable(table, inputs).getResultList();
    }
}
