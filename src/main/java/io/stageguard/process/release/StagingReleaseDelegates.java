package io.stageguard.process.release;

import static io.stageguard.process.engine.ReleaseVariables.*;

import io.stageguard.clone.StagingSnapshot;
import io.stageguard.metrics.ReleaseMetrics;
import io.stageguard.notify.ReleaseNotifier;
import io.stageguard.process.engine.ReleaseVariables;
import io.stageguard.process.engine.ReleaseVariables.ReleaseContext;
import io.stageguard.release.ReleaseRecords;
import io.stageguard.update.Change;
import io.stageguard.update.ChangeSetValidator;
import io.stageguard.update.GitPackager;
import io.stageguard.update.PackageFolders;
import io.stageguard.update.SiteFit;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The staging-release loop ({@code staging-release.bpmn}) around the six phases: the revision
 * between QA rounds, dropped experiments, and what happens when a whole release ends, however it ends.
 */
@Configuration(proxyBeanMethods = false)
class StagingReleaseDelegates {
    private static final Logger LOG = LoggerFactory.getLogger(StagingReleaseDelegates.class);

    /** The release's starter is told how it ended (released, rolled back, abandoned, expired, ...), with the reports. */
    @Bean
    ExecutionListener releaseEndedListener(
            ReleaseRecords releases,
            ReleaseNotifier mail,
            ReleaseMetrics metrics,
            ReleaseVariables vars,
            StagingSnapshot snapshots) {
        return execution -> {
            String releaseId = execution.getProcessBusinessKey();
            ReleaseRecords.Release release = releases.get(releaseId);
            discardSnapshot(snapshots, vars, execution, releaseId);
            removeLiveLeftovers(vars, execution, releaseId);
            String outcome = outcome(execution);
            metrics.ended(release.siteId(), outcome);
            phaseDurations(execution).forEach(phase -> metrics.phase(release.siteId(), phase.name(), phase.took()));
            List<String> details = new ArrayList<>();
            addIfSet(details, "QA report: ", QA_REPORT_URL.from(execution));
            addIfSet(details, "Live after the push: ", LIVE_REPORT_URL.from(execution));
            addIfSet(details, "Rollback:\n", ROLLBACK_REPORT.from(execution));
            addIfSet(details, "Sign-off clock:\n", SIGNOFF_CLOCK.from(execution));
            mail.releaseEnded(releaseId, release.siteId(), release.startedBy(), outcome, details);
        };
    }

    /** The snapshot of staging the culprit search used takes as much room as staging; tidying it up never fails a release. */
    private static void discardSnapshot(
            StagingSnapshot snapshots, ReleaseVariables vars, DelegateExecution execution, String releaseId) {
        try {
            snapshots.discard(vars.site(execution), releaseId);
        } catch (IOException | RuntimeException e) {
            LOG.warn("The snapshot of staging release {} took was not removed: {}", releaseId, e.getMessage());
        }
    }

    /** A release cancelled after a crash mid-install leaves the old package beside its folder on live, reachable over the web. */
    private static void removeLiveLeftovers(ReleaseVariables vars, DelegateExecution execution, String releaseId) {
        try {
            List<java.nio.file.Path> removed = io.stageguard.update.LiveLeftovers.remove(
                    vars.site(execution).live());
            if (!removed.isEmpty())
                LOG.warn(
                        "Release {} ended with an install or restore unfinished on live; removed {}",
                        releaseId,
                        removed);
        } catch (IOException | RuntimeException e) {
            LOG.warn("What release {} left beside live's folders was not removed: {}", releaseId, e.getMessage());
        }
    }

    private record Phase(String name, Duration took) {}

    /**
     * How long each phase (call activity) of the release took; a phase whose end the history does
     * not hold yet ended in this very transaction, now.
     */
    private static List<Phase> phaseDurations(DelegateExecution execution) {
        Instant now = ClockUtil.getCurrentTime().toInstant();
        return execution
                .getProcessEngineServices()
                .getHistoryService()
                .createHistoricActivityInstanceQuery()
                .processInstanceId(execution.getProcessInstanceId())
                .activityType("callActivity")
                .list()
                .stream()
                .map(a -> new Phase(
                        a.getActivityName(),
                        Duration.between(
                                a.getStartTime().toInstant(),
                                a.getEndTime() == null ? now : a.getEndTime().toInstant())))
                .toList();
    }

    /** The name of the end event the release reached ("Released", "Approval expired"), or how it was stopped. */
    private static String outcome(DelegateExecution execution) {
        if (execution.isCanceled()) return "cancelled (" + execution.getCurrentActivityName() + ")";
        if (execution.getCurrentActivityId() == null) return "ended";
        FlowElement end = execution.getBpmnModelInstance().getModelElementById(execution.getCurrentActivityId());
        return end != null && end.getName() != null ? end.getName() : "ended";
    }

    private static void addIfSet(List<String> details, String label, String value) {
        if (value != null && !value.isBlank()) details.add(label + value);
    }

    /**
     * The experiments the developer dropped at sign-off leave the set, which then opens the next QA
     * round on a fresh clone: what is frozen later was tested without them.
     */
    @Bean
    JavaDelegate dropExperimentsDelegate(ReleaseVariables vars, ReleaseRecords releases) {
        return execution -> {
            List<String> dropped = DROPPED_EXPERIMENTS.from(execution);
            List<Change> kept = CHANGES.from(execution).stream()
                    .filter(c -> !(c.experiment() && dropped.contains(c.key())))
                    .toList();
            // TaskCompletionGuard refuses a sign-off that drops every change
            if (kept.isEmpty())
                throw new IllegalStateException("Every change was a dropped experiment: nothing is left to release");
            CHANGES.set(execution, kept);
            QA_ROUND.set(execution, releases.nextRound(vars.releaseId(execution)));
            EXPERIMENTS_DROPPED.set(execution, false);
        };
    }

    /** The revise form's fields for the current change set: every change offered for dropping, nothing added yet. */
    @Bean
    TaskListener revisionFieldsListener() {
        return task -> ReleaseVariables.prepareRevision(task.getExecution(), CHANGES.from(task));
    }

    /**
     * Takes the developer's revised change set and opens the next QA round: from other systems the
     * whole set as JSON in {@code revisedChanges}; else the form's fields (changes dropped, one added
     * or replacing its slug's). Untouched fields retest the current set, for a package rebuilt in place.
     */
    @Bean
    JavaDelegate acceptRevisedChangeSetDelegate(
            ReleaseVariables vars, ReleaseRecords releases, SiteFit fit, GitPackager git, PackageFolders folders) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            String revised = REVISED_CHANGES.from(execution);
            List<Change> changes;
            try {
                changes = revised != null && !revised.isBlank()
                        ? CHANGES.parse(revised)
                        : ReleaseVariables.revision(execution).revise(CHANGES.from(execution));
            } catch (IllegalArgumentException e) {
                throw new BpmnError(
                        "INVALID_CHANGE_SET", "The revised change set is not valid JSON: " + e.getMessage());
            }
            List<Change> pinned = new java.util.ArrayList<>(changes);
            Map<String, String> problems = new java.util.LinkedHashMap<>(git.pinAll(pinned, pinned::set));
            changes = pinned;
            problems.putAll(ChangeSetValidator.problems(changes, folders));
            changes = folders.resolved(changes);
            if (problems.isEmpty()) problems = fit.problemsOn(release.site().live(), changes);
            if (!problems.isEmpty()) {
                throw new BpmnError("INVALID_CHANGE_SET", "The revised change set has problems: " + problems);
            }
            CHANGES.set(execution, changes);
            QA_ROUND.set(execution, releases.nextRound(release.id()));
            REVISED_CHANGES.set(execution, null);
            REVISION_ERROR.set(execution, null);
        };
    }
}
