package io.stageguard.process.qa;

import static io.stageguard.process.engine.ReleaseVariables.*;

import io.stageguard.metrics.ReleaseMetrics;
import io.stageguard.process.engine.ReleaseVariables;
import io.stageguard.process.engine.ReleaseVariables.ReleaseContext;
import io.stageguard.qa.Attribution;
import io.stageguard.qa.BrowserQa;
import io.stageguard.qa.CulpritFinder;
import io.stageguard.qa.QaReport;
import io.stageguard.site.Site;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Phase 3, QA and debugging in a real browser ({@code qa-and-debugging.bpmn}): the QA round and the culprit search. */
@Configuration(proxyBeanMethods = false)
class QaAndDebuggingDelegates {

    @Bean
    JavaDelegate browserQaDelegate(ReleaseVariables vars, BrowserQa qa, ReleaseMetrics metrics) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            QaReport report = qa.run(release.id(), release.round(), release.site(), CHANGES.from(execution));
            metrics.pagesChecked(release.site().id(), report.pages().size());
            QA_NEEDS_CULPRIT_SEARCH.set(execution, BrowserQa.needsBisection(report));
            publish(execution, vars, report, qa);
        };
    }

    /** Bisection over the change set for failures no file path explains; it updates the round's report. */
    @Bean
    JavaDelegate findCulpritsDelegate(ReleaseVariables vars, BrowserQa qa, CulpritFinder finder) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            Site site = release.site();
            QaReport report = qa.read(release.id(), release.round());
            QaReport searched = finder.find(report, site, CHANGES.from(execution));
            qa.write(searched, site);
            publish(execution, vars, searched, qa);
        };
    }

    private static void publish(DelegateExecution execution, ReleaseVariables vars, QaReport report, BrowserQa qa)
            throws java.io.IOException {
        QA_PASSED.set(execution, report.passed());
        // what the round before found and this one does not: shown to the approvers as resolved
        QA_RESOLVED.set(
                execution,
                report.round() > 1 && qa.hasRound(report.releaseId(), report.round() - 1)
                        ? report.resolvedSince(qa.read(report.releaseId(), report.round() - 1))
                        : List.of());
        QA_VERDICT.set(execution, report.verdict().label());
        QA_SUMMARY.set(execution, report.summary());
        List<String> findings = report.findings().stream()
                .map(f -> f.where() + ": " + f.message()
                        + (f.culprit() != null
                                ? " (caused by " + f.culprit() + ")"
                                : Attribution.PRESENT_BEFORE.equals(f.attributedBy())
                                        ? " (" + Attribution.PRESENT_BEFORE + ": not counted)"
                                        : ""))
                .toList();
        QA_FINDINGS.set(execution, findings);
        QA_THUMBNAILS.set(execution, qa.thumbnails(report));
        QA_REPORT_URL.set(execution, report.htmlUrl());
        QA_REPORT_JSON_URL.set(execution, report.jsonUrl());
        if (!report.passed()) REVISE_REASON.set(execution, report.summary() + "\n" + String.join("\n", findings));
    }
}
