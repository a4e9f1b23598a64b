package io.stageguard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.demo.DemoSite;
import io.stageguard.demo.FixturePlugin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.task.Task;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Drives releases of the demo site the way outside systems and approvers do: started over the REST
 * API as the CI user, followed through the status API, tasks completed through the engine's task
 * API as the approver they belong to. Any incident or failing job fails the waiting test at once.
 */
public final class ReleaseDriver {
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(4);
    private final TestRestTemplate rest;
    private final TaskService tasks;
    private final RuntimeService runtime;
    private final HistoryService history;
    private final IdentityService identity;
    private final DemoSite demo;

    public ReleaseDriver(
            TestRestTemplate rest,
            TaskService tasks,
            RuntimeService runtime,
            HistoryService history,
            IdentityService identity,
            DemoSite demo) {
        this.rest = rest;
        this.tasks = tasks;
        this.runtime = runtime;
        this.history = history;
        this.identity = identity;
        this.demo = demo;
    }

    public TestRestTemplate asOperator() {
        return rest.withBasicAuth("operator", "operator");
    }

    /** Starts a release of hello-stageguard at {@code version} checked on {@code qaPaths}, followed by any further changes. */
    @SafeVarargs
    public final String startRelease(List<String> qaPaths, String version, Map<String, Object>... more) {
        List<Map<String, Object>> changes = new ArrayList<>(List.of(Map.of(
                "type",
                "plugin",
                "slug",
                FixturePlugin.SLUG,
                "version",
                version,
                "package",
                demo.fixturePackage(version).toString())));
        changes.addAll(List.of(more));
        Map<String, Object> body = Map.of("siteId", "acme", "qaPaths", qaPaths, "changes", changes);
        ResponseEntity<Map<String, Object>> answer = rest.withBasicAuth("ci", "ci")
                .exchange(
                        "/api/releases",
                        HttpMethod.POST,
                        new HttpEntity<>(body),
                        new ParameterizedTypeReference<>() {});
        assertThat(answer.getStatusCode()).as("start: %s", answer.getBody()).isEqualTo(HttpStatus.CREATED);
        return (String) answer.getBody().get("releaseId");
    }

    /** As {@code user}, asks to put live back for the release: {@code action} is "rollback" (while watched) or "restore" (after it ended). */
    public ResponseEntity<Map<String, Object>> putLiveBack(String user, String release, String action, String reason) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return rest.withBasicAuth(user, user)
                .exchange(
                        "/api/releases/" + release + "/" + action,
                        HttpMethod.POST,
                        new HttpEntity<>(Map.of("reason", reason), headers),
                        new ParameterizedTypeReference<>() {});
    }

    public Task awaitTask(String release, String taskKey) {
        return await(taskKey)
                .failFast("release left the expected path", () -> {
                    Map<String, Object> now = status(release);
                    if ("ended".equals(now.get("state"))) {
                        throw new AssertionError("release ended as " + now.get("outcome") + " instead of reaching "
                                + taskKey + "; " + variables(now));
                    }
                    Task waiting = tasks.createTaskQuery()
                            .processInstanceBusinessKey(release)
                            .singleResult();
                    if (waiting != null && !waiting.getTaskDefinitionKey().equals(taskKey)) {
                        throw new AssertionError("release waits at " + waiting.getName() + " instead of " + taskKey
                                + "; " + variables(now));
                    }
                })
                .until(
                        () -> {
                            failOnIncident(release);
                            return tasks.createTaskQuery()
                                    .processInstanceBusinessKey(release)
                                    .taskDefinitionKey(taskKey)
                                    .singleResult();
                        },
                        t -> t != null);
    }

    public Map<String, Object> awaitEnd(String release) {
        Map<String, Object> ended = await("end of " + release)
                .until(
                        () -> {
                            failOnIncident(release);
                            return status(release);
                        },
                        s -> "ended".equals(s.get("state")));
        printStepTimes(release);
        return ended;
    }

    /** Where a release's time went, step by step (the test's output file), for whoever makes the suite faster. */
    private void printStepTimes(String release) {
        String root = history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(release).list().stream()
                .filter(p -> p.getSuperProcessInstanceId() == null)
                .map(p -> p.getId())
                .findFirst()
                .orElse(null);
        if (root == null) return;
        StringBuilder out = new StringBuilder("Steps of " + release + " (ms):");
        history.createHistoricProcessInstanceQuery()
                .rootProcessInstanceId(root)
                .list()
                .forEach(instance -> history
                        .createHistoricActivityInstanceQuery()
                        .processInstanceId(instance.getId())
                        .orderByHistoricActivityInstanceStartTime()
                        .asc()
                        .list()
                        .stream()
                        .filter(a -> a.getDurationInMillis() != null
                                && a.getDurationInMillis() >= 500
                                && !"callActivity".equals(a.getActivityType()))
                        .forEach(a -> out.append("\n  ")
                                .append(instance.getProcessDefinitionKey())
                                .append(" ")
                                .append(a.getActivityId())
                                .append(" ")
                                .append(a.getDurationInMillis())));
        System.out.println(out);
    }

    /** Waits until a job of the release has spent its retries and returns the incident where it failed (not the ones its callers show). */
    public Incident awaitIncident(String release) {
        return await("an incident in " + release)
                .failFast("release ended without an incident", () -> {
                    Map<String, Object> now = status(release);
                    if ("ended".equals(now.get("state")))
                        throw new AssertionError("release ended as " + now.get("outcome") + "; " + variables(now));
                })
                .until(
                        () ->
                                history
                                        .createHistoricProcessInstanceQuery()
                                        .processInstanceBusinessKey(release)
                                        .list()
                                        .stream()
                                        .flatMap(p ->
                                                runtime
                                                        .createIncidentQuery()
                                                        .processInstanceId(p.getId())
                                                        .list()
                                                        .stream())
                                        .filter(i -> i.getId().equals(i.getRootCauseIncidentId()))
                                        .findFirst()
                                        .orElse(null),
                        i -> i != null);
    }

    private org.awaitility.core.ConditionFactory await(String what) {
        return org.awaitility.Awaitility.await(what).atMost(PHASE_TIMEOUT).pollInterval(Duration.ofMillis(500));
    }

    private void failOnIncident(String release) {
        for (var instance : history.createHistoricProcessInstanceQuery()
                .processInstanceBusinessKey(release)
                .list()) {
            Incident incident = runtime.createIncidentQuery()
                    .processInstanceId(instance.getId())
                    .singleResult();
            if (incident != null)
                throw new AssertionError(
                        "incident at " + incident.getActivityId() + ": " + incident.getIncidentMessage());
        }
        // a failing job shows before it becomes an incident: report its exception at once rather than after the retries
        for (var instance : runtime.createProcessInstanceQuery()
                .processInstanceBusinessKey(release)
                .list()) {
            var failed = history.createHistoricJobLogQuery()
                    .processInstanceId(instance.getId())
                    .failureLog()
                    .list();
            if (!failed.isEmpty())
                throw new AssertionError("job failed at " + failed.get(0).getActivityId() + ": "
                        + failed.get(0).getJobExceptionMessage());
        }
    }

    public Map<String, Object> status(String release) {
        return asOperator()
                .exchange(
                        "/api/releases/" + release,
                        HttpMethod.GET,
                        null,
                        new ParameterizedTypeReference<Map<String, Object>>() {})
                .getBody();
    }

    /** The results a release reports: its declared variables. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> variables(Map<String, Object> status) {
        return (Map<String, Object>) status.get("results");
    }

    public List<Task> tasksVisibleTo(String user, String group) {
        identity.setAuthentication(user, List.of(group));
        try {
            return tasks.createTaskQuery().list();
        } finally {
            identity.clearAuthentication();
        }
    }

    public void complete(String user, String group, Task task, Map<String, Object> variables) {
        identity.setAuthentication(user, List.of(group));
        try {
            tasks.claim(task.getId(), user);
            tasks.complete(task.getId(), variables);
        } finally {
            identity.clearAuthentication();
        }
    }

    /** A developer confirms the deployment plan: push at once. */
    public void confirmPlan(String release) {
        complete(
                "dev",
                "developers",
                awaitTask(release, "Task_ConfirmDeploymentPlan"),
                Map.of("planDecision", "confirm"));
    }

    /** Developer dev2 and client approve the release (four eyes: the CI user started it). */
    public void signOff(String release) {
        complete(
                "dev2",
                "developers",
                awaitTask(release, "Task_DeveloperSignoff"),
                Map.of("developerDecision", "approve"));
        complete("client", "clients", awaitTask(release, "Task_ClientSignoff"), Map.of("clientDecision", "approve"));
    }
}
