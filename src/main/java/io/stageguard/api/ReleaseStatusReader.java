package io.stageguard.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.spin.json.SpinJsonNode;
import org.springframework.stereotype.Component;

/**
 * Answers "where is this release and what has it found" from the engine's history: the phase
 * (the call activity running in the top-level process), the step inside it, the end state, open
 * incidents, and the results recorded so far.
 */
@Component
class ReleaseStatusReader {
    private final HistoryService history;
    private final RuntimeService runtime;
    private final ObjectMapper json;

    ReleaseStatusReader(HistoryService history, RuntimeService runtime, ObjectMapper json) {
        this.history = history;
        this.runtime = runtime;
        this.json = json;
    }

    Optional<Map<String, Object>> read(String releaseId) {
        List<HistoricProcessInstance> instances = history.createHistoricProcessInstanceQuery()
                .processInstanceBusinessKey(releaseId).orderByProcessInstanceStartTime().asc().list();
        HistoricProcessInstance root = instances.stream().filter(i -> i.getSuperProcessInstanceId() == null).findFirst().orElse(null);
        if (root == null) return Optional.empty();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("releaseId", releaseId);
        status.put("processInstanceId", root.getId());
        status.put("state", root.getEndTime() == null ? "running" : "ended");
        List<String> waitingIn = new ArrayList<>();
        for (HistoricProcessInstance instance : instances) {
            for (HistoricActivityInstance a : history.createHistoricActivityInstanceQuery().processInstanceId(instance.getId())
                    .unfinished().list()) {
                if (instance == root && a.getActivityType().equals("callActivity")) {
                    status.put("phase", a.getActivityName());
                } else if (!a.getActivityType().equals("callActivity")) {
                    waitingIn.add(a.getActivityName());
                }
            }
        }
        status.put("step", waitingIn);
        if (root.getEndTime() != null) {
            history.createHistoricActivityInstanceQuery().processInstanceId(root.getId()).activityType("noneEndEvent")
                    .list().stream().findFirst().ifPresent(end -> status.put("outcome", end.getActivityName()));
        }
        List<Map<String, String>> incidents = new ArrayList<>();
        for (HistoricProcessInstance instance : instances) {
            runtime.createIncidentQuery().processInstanceId(instance.getId()).list().forEach(i -> incidents.add(Map.of(
                    "activity", i.getActivityId(), "message", String.valueOf(i.getIncidentMessage()))));
        }
        status.put("incidents", incidents);
        Map<String, Object> results = new TreeMap<>();
        history.createHistoricVariableInstanceQuery().processInstanceId(root.getId()).list()
                .forEach(v -> results.put(v.getName(), readable(v.getValue())));
        status.put("variables", results);
        return Optional.of(status);
    }

    private Object readable(Object value) {
        if (value instanceof SpinJsonNode node) {
            try {
                return json.readTree(node.toString());
            } catch (JsonProcessingException e) {
                return node.toString();
            }
        }
        return value;
    }
}
