package io.stageguard.process;

import io.stageguard.qa.BrowserQa;
import io.stageguard.release.ReleaseRecords;
import io.stageguard.qa.CulpritFinder;
import io.stageguard.qa.QaReport;
import io.stageguard.site.Site;
import io.stageguard.update.Change;
import io.stageguard.update.ChangeSetApplier;
import io.stageguard.update.ChangeSetValidator;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Phase 2 and 3 service tasks, and the revision step between QA rounds. */
@Configuration(proxyBeanMethods = false)
class UpdateAndQaDelegates {

    @Bean
    JavaDelegate applyChangeSetDelegate(ReleaseVariables vars, ChangeSetApplier applier) {
        return execution -> execution.setVariable("appliedChanges", vars.json(
                applier.apply(vars.releaseId(execution), vars.round(execution), vars.site(execution), vars.changes(execution))));
    }

    @Bean
    JavaDelegate browserQaDelegate(ReleaseVariables vars, BrowserQa qa) {
        return execution -> {
            QaReport report = qa.run(vars.releaseId(execution), vars.round(execution), vars.site(execution), vars.changes(execution),
                    vars.qaPaths(execution));
            execution.setVariable("qaNeedsCulpritSearch", BrowserQa.needsBisection(report));
            publish(execution, vars, report);
        };
    }

    /** Bisection over the change set for failures no file path explains; it updates the round's report. */
    @Bean
    JavaDelegate findCulpritsDelegate(ReleaseVariables vars, BrowserQa qa, CulpritFinder finder) {
        return execution -> {
            Site site = vars.site(execution);
            QaReport report = qa.read(vars.releaseId(execution), vars.round(execution));
            QaReport searched = finder.find(report, site, vars.changes(execution));
            qa.write(searched, site);
            publish(execution, vars, searched);
        };
    }

    private static void publish(DelegateExecution execution, ReleaseVariables vars, QaReport report) {
        execution.setVariable("qaPassed", report.passed());
        execution.setVariable("qaVerdict", report.verdict());
        execution.setVariable("qaSummary", report.summary());
        List<String> findings = report.findings().stream()
                .map(f -> f.where() + ": " + f.message() + (f.culprit() == null ? "" : " (caused by " + f.culprit() + ")")).toList();
        execution.setVariable("qaFindings", vars.json(findings));
        execution.setVariable("qaReportUrl", report.htmlUrl());
        execution.setVariable("qaReportJsonUrl", report.jsonUrl());
        if (!report.passed()) execution.setVariable("reviseReason", report.summary() + "\n" + String.join("\n", findings));
    }

    /**
     * Takes the developer's revised change set (JSON in {@code revisedChanges}; blank keeps the
     * current set, for a package rebuilt in place) and opens the next QA round.
     */
    @Bean
    JavaDelegate acceptRevisedChangeSetDelegate(ReleaseVariables vars, ReleaseRecords releases) {
        return execution -> {
            Object revised = execution.getVariable("revisedChanges");
            List<Change> changes;
            try {
                changes = revised == null || revised.toString().isBlank()
                        ? vars.changes(execution)
                        : vars.read(revised, new com.fasterxml.jackson.core.type.TypeReference<List<Change>>() { });
            } catch (IllegalArgumentException e) {
                throw new BpmnError("INVALID_CHANGE_SET", "The revised change set is not valid JSON: " + e.getMessage());
            }
            Map<String, String> problems = ChangeSetValidator.problems(changes);
            if (!problems.isEmpty()) {
                throw new BpmnError("INVALID_CHANGE_SET", "The revised change set has problems: " + problems);
            }
            execution.setVariable(ReleaseVariables.CHANGES, vars.json(changes));
            execution.setVariable(ReleaseVariables.QA_ROUND, releases.nextRound(vars.releaseId(execution)));
            execution.setVariable("revisedChanges", null);
            execution.setVariable("revisionError", null);
        };
    }
}
