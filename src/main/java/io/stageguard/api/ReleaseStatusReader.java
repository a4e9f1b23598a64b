package io.stageguard.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stageguard.process.engine.JobLockKeeper;
import io.stageguard.process.engine.ReleaseVariables;
import java.util.ArrayList;
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
 * incidents, steps that have worked longer than {@code stageguard.jobs.long-running-after} (they
 * may hang), and the results recorded so far: the release's declared variables
 * ({@link ReleaseVariables}), never whatever else a process or a task completion may hold.
 */
@Component
class ReleaseStatusReader {
    private final HistoryService history;
    private final RuntimeService runtime;
    private final ObjectMapper json;
    private final JobLockKeeper jobs;

    ReleaseStatusReader(HistoryService history, RuntimeService runtime, ObjectMapper json, JobLockKeeper jobs) {
        this.history = history;
        this.runtime = runtime;
        this.json = json;
        this.jobs = jobs;
    }

    /** A release as other systems see it. */
    /** @param working the steps working right now (which the history shows only when they commit), with their progress */
    record ReleaseStatus(
            String releaseId,
            String processInstanceId,
            String state,
            String phase,
            List<String> step,
            String outcome,
            List<Incident> incidents,
            List<JobLockKeeper.Working> working,
            List<JobLockKeeper.Working> longRunning,
            Map<String, Object> results) {}

    record Incident(String activity, String message) {}

    Optional<ReleaseStatus> read(String releaseId) {
        List<HistoricProcessInstance> instances = history.createHistoricProcessInstanceQuery()
                .processInstanceBusinessKey(releaseId)
                .orderByProcessInstanceStartTime()
                .asc()
                .list();
        HistoricProcessInstance root = instances.stream()
                .filter(i -> i.getSuperProcessInstanceId() == null)
                .findFirst()
                .orElse(null);
        if (root == null) return Optional.empty();
        String phase = null;
        List<String> step = new ArrayList<>();
        for (HistoricProcessInstance instance : instances) {
            for (HistoricActivityInstance a : history.createHistoricActivityInstanceQuery()
                    .processInstanceId(instance.getId())
                    .unfinished()
                    .list()) {
                if (instance == root && a.getActivityType().equals("callActivity")) {
                    phase = a.getActivityName();
                } else if (!a.getActivityType().equals("callActivity")) {
                    step.add(a.getActivityName());
                }
            }
        }
        String outcome = root.getEndTime() == null
                ? null
                : history
                        .createHistoricActivityInstanceQuery()
                        .processInstanceId(root.getId())
                        .activityType("noneEndEvent")
                        .list()
                        .stream()
                        .findFirst()
                        .map(HistoricActivityInstance::getActivityName)
                        .orElse(null);
        List<Incident> incidents = new ArrayList<>();
        for (HistoricProcessInstance instance : instances) {
            runtime.createIncidentQuery()
                    .processInstanceId(instance.getId())
                    .list()
                    .forEach(i ->
                            incidents.add(new Incident(i.getActivityId(), String.valueOf(i.getIncidentMessage()))));
        }
        Map<String, Object> results = new TreeMap<>();
        history.createHistoricVariableInstanceQuery().processInstanceId(root.getId()).list().stream()
                .filter(v -> ReleaseVariables.isDeclared(v.getName()))
                .forEach(v -> results.put(v.getName(), readable(v.getValue())));
        List<String> instanceIds =
                instances.stream().map(HistoricProcessInstance::getId).toList();
        List<JobLockKeeper.Working> working = jobs.working(instanceIds);
        working.stream()
                .map(JobLockKeeper.Working::step)
                .filter(s -> !step.contains(s))
                .forEach(step::add);
        return Optional.of(new ReleaseStatus(
                releaseId,
                root.getId(),
                root.getEndTime() == null ? "running" : "ended",
                phase,
                step,
                outcome,
                incidents,
                working,
                jobs.longRunning(instanceIds),
                results));
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
