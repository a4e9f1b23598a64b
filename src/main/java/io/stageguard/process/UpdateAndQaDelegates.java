package io.stageguard.process;

import static io.stageguard.process.ReleaseVariables.*;

import io.stageguard.clone.StagingSnapshot;
import io.stageguard.deploy.LiveDrift;
import io.stageguard.qa.Attribution;
import io.stageguard.qa.BrowserQa;
import io.stageguard.release.ReleaseRecords;
import io.stageguard.qa.CulpritFinder;
import io.stageguard.qa.QaReport;
import io.stageguard.qa.StagingReference;
import io.stageguard.site.Site;
import io.stageguard.update.Change;
import io.stageguard.update.ChangeSetApplier;
import io.stageguard.update.ChangeSetValidator;
import io.stageguard.update.PackageFolders;
import io.stageguard.update.SiteFit;
import io.stageguard.update.GitPackager;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import io.stageguard.metrics.ReleaseMetrics;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Phase 2 and 3 service tasks, and the revision step between QA rounds. */
@Configuration(proxyBeanMethods = false)
class UpdateAndQaDelegates {

    @Bean
    JavaDelegate applyChangeSetDelegate(ReleaseVariables vars, ChangeSetApplier applier, LiveDrift drift) {
        return execution -> {
            Site site = vars.site(execution);
            List<Change> changes = CHANGES.from(execution);
            // staging was just cloned from live: what live is now is what this release is tested against
            drift.recordBaseline(vars.releaseId(execution), site.live(), changes);
            APPLIED_CHANGES.set(execution, applier.apply(vars.releaseId(execution), vars.round(execution), site, changes));
        };
    }

    /**
     * Staging right after the clone, before the changes: its snapshot, the pages QA will look at,
     * how staging shows them (what the round is judged against), and the clone check against live.
     */
    @Bean
    JavaDelegate captureStagingBeforeDelegate(ReleaseVariables vars, StagingReference references, StagingSnapshot snapshots) {
        return execution -> {
            // the state the reference shows, which the culprit search puts staging back to between its trials
            snapshots.take(vars.site(execution), vars.releaseId(execution), vars.round(execution));
            QaReport check = references.capture(vars.releaseId(execution), vars.round(execution), vars.site(execution), QA_PATHS.from(execution));
            CLONE_CHECK.set(execution, check.reasons().get(0));
            CLONE_CHECK_URL.set(execution, check.htmlUrl());
        };
    }

    @Bean
    JavaDelegate browserQaDelegate(ReleaseVariables vars, BrowserQa qa, ReleaseMetrics metrics) {
        return execution -> {
            QaReport report = qa.run(vars.releaseId(execution), vars.round(execution), vars.site(execution), CHANGES.from(execution));
            metrics.pagesChecked(vars.site(execution).id(), report.pages().size());
            QA_NEEDS_CULPRIT_SEARCH.set(execution, BrowserQa.needsBisection(report));
            publish(execution, vars, report, qa);
        };
    }

    /** Bisection over the change set for failures no file path explains; it updates the round's report. */
    @Bean
    JavaDelegate findCulpritsDelegate(ReleaseVariables vars, BrowserQa qa, CulpritFinder finder) {
        return execution -> {
            Site site = vars.site(execution);
            QaReport report = qa.read(vars.releaseId(execution), vars.round(execution));
            QaReport searched = finder.find(report, site, CHANGES.from(execution));
            qa.write(searched, site);
            publish(execution, vars, searched, qa);
        };
    }

    private static void publish(DelegateExecution execution, ReleaseVariables vars, QaReport report, BrowserQa qa) throws java.io.IOException {
        QA_PASSED.set(execution, report.passed());
        // what the round before found and this one does not: shown to the approvers as resolved
        QA_RESOLVED.set(execution, report.round() > 1 && qa.hasRound(report.releaseId(), report.round() - 1)
                ? report.resolvedSince(qa.read(report.releaseId(), report.round() - 1)) : List.of());
        QA_VERDICT.set(execution, report.verdict().label());
        QA_SUMMARY.set(execution, report.summary());
        List<String> findings = report.findings().stream()
                .map(f -> f.where() + ": " + f.message() + (f.culprit() != null ? " (caused by " + f.culprit() + ")"
                        : Attribution.PRESENT_BEFORE.equals(f.attributedBy()) ? " (" + Attribution.PRESENT_BEFORE + ": not counted)" : "")).toList();
        QA_FINDINGS.set(execution, findings);
        QA_THUMBNAILS.set(execution, qa.thumbnails(report));
        QA_REPORT_URL.set(execution, report.htmlUrl());
        QA_REPORT_JSON_URL.set(execution, report.jsonUrl());
        if (!report.passed()) REVISE_REASON.set(execution, report.summary() + "\n" + String.join("\n", findings));
    }

    /**
     * The experiments the developer dropped at sign-off leave the set, which then opens the next QA
     * round on a fresh clone: what is frozen later was tested without them.
     */
    @Bean
    JavaDelegate dropExperimentsDelegate(ReleaseVariables vars, ReleaseRecords releases) {
        return execution -> {
            List<String> dropped = DROPPED_EXPERIMENTS.from(execution);
            List<Change> kept = CHANGES.from(execution).stream().filter(c -> !(c.experiment() && dropped.contains(c.key()))).toList();
            // TaskCompletionGuard refuses a sign-off that drops every change
            if (kept.isEmpty()) throw new IllegalStateException("Every change was a dropped experiment: nothing is left to release");
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
    JavaDelegate acceptRevisedChangeSetDelegate(ReleaseVariables vars, ReleaseRecords releases, SiteFit fit, GitPackager git, PackageFolders folders) {
        return execution -> {
            String revised = REVISED_CHANGES.from(execution);
            List<Change> changes;
            try {
                changes = revised != null && !revised.isBlank() ? CHANGES.parse(revised)
                        : ReleaseVariables.revision(execution).revise(CHANGES.from(execution));
            } catch (IllegalArgumentException e) {
                throw new BpmnError("INVALID_CHANGE_SET", "The revised change set is not valid JSON: " + e.getMessage());
            }
            List<Change> pinned = new java.util.ArrayList<>(changes);
            Map<String, String> problems = new java.util.LinkedHashMap<>(git.pinAll(pinned, pinned::set));
            changes = pinned;
            problems.putAll(ChangeSetValidator.problems(changes, folders));
            changes = folders.resolved(changes);
            if (problems.isEmpty()) problems = fit.problemsOn(vars.site(execution).live(), changes);
            if (!problems.isEmpty()) {
                throw new BpmnError("INVALID_CHANGE_SET", "The revised change set has problems: " + problems);
            }
            CHANGES.set(execution, changes);
            QA_ROUND.set(execution, releases.nextRound(vars.releaseId(execution)));
            REVISED_CHANGES.set(execution, null);
            REVISION_ERROR.set(execution, null);
        };
    }
}
