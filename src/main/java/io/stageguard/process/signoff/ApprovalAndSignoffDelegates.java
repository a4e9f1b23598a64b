package io.stageguard.process.signoff;

import static io.stageguard.process.engine.ReleaseVariables.*;

import io.stageguard.clone.StagingState;
import io.stageguard.notify.ReleaseNotifier;
import io.stageguard.process.engine.ReleaseVariables;
import io.stageguard.process.engine.ReleaseVariables.ReleaseContext;
import io.stageguard.process.engine.TaskCompletionGuard;
import io.stageguard.qa.BrowserQa;
import io.stageguard.signoff.ChangeSetFreezer;
import io.stageguard.signoff.ReleaseRisk;
import io.stageguard.site.SiteAccess;
import io.stageguard.update.Change;
import io.stageguard.update.VersionStep;
import io.stageguard.update.WordPressOrgSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.task.Task;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Phase 4, approval and sign-off ({@code approval-and-signoff.bpmn}): who signs off, the clock that reminds and escalates, and the change set frozen. */
@Configuration(proxyBeanMethods = false)
class ApprovalAndSignoffDelegates {

    @Bean
    JavaDelegate freezeChangeSetDelegate(
            ReleaseVariables vars, ChangeSetFreezer freezer, BrowserQa qa, StagingState state) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            String releaseId = release.id();
            int round = release.round();
            // sign-off approves what QA passed; a round QA stopped is never frozen, whatever the variables say
            if (!qa.read(releaseId, round).passed()) {
                throw new IllegalStateException(
                        "QA round " + round + " of release " + releaseId + " did not pass; refusing to freeze it");
            }
            ChangeSetFreezer.Frozen frozen =
                    freezer.freeze(releaseId, release.site().id(), round);
            FROZEN_MANIFEST.set(execution, frozen.manifest());
            execution.setVariable("manifestSha256", frozen.sha256());
            CHANGE_SET_FROZEN.set(execution, true);
            List<String> approvers = SignoffHistory.approvers(
                    execution.getProcessEngineServices().getHistoryService(), execution.getProcessInstanceId());
            state.approved(
                    release.site(), releaseId, approvers.isEmpty() ? "its approvers" : String.join(" and ", approvers));
        };
    }

    /** Who signs this release off: the release-risk table over the change set as applied and the site's tags. */
    @Bean
    JavaDelegate decideApprovalsDelegate(ReleaseVariables vars, ReleaseRisk risk, WordPressOrgSource wordpressOrg) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            List<Change> experiments =
                    CHANGES.from(execution).stream().filter(Change::experiment).toList();
            ReleaseRisk.Route route = risk.decide(ReleaseRisk.inputs(
                    APPLIED_CHANGES.from(execution),
                    wordpressOrg::fetched,
                    experiments.size(),
                    release.site().tags()));
            CLIENT_SIGNOFF_NEEDED.set(execution, route.clientSignoffNeeded());
            APPROVAL_ROUTE.set(execution, route.summary());
            CHANGE_NOTES.set(
                    execution,
                    APPLIED_CHANGES.from(execution).stream()
                            .map(
                                    a -> ordered(
                                            "change", a.type() + " " + a.slug(),
                                            "steps",
                                                    a.replaces() + " → " + a.version() + " ("
                                                            + VersionStep.between(a.replaces(), a.version())
                                                                    .label() + ")",
                                            "readAt",
                                                    wordpressOrg.fetched(a.packagePath())
                                                            ? WordPressOrgSource.changelogUrl(
                                                                    a.type(), a.slug(), a.version())
                                                            : a.gitSource() != null
                                                                    ? "git: " + a.gitSource()
                                                                    : "the vendor's or developer's notes (not from wordpress.org)"))
                            .toList());
            // the developer's form lists the experiments apart, each to keep or drop
            EXPERIMENT_CHOICES.set(
                    execution,
                    experiments.stream()
                            .map(c -> ordered("label", c.label(), "value", c.key()))
                            .toList());
            DROPPED_EXPERIMENTS.set(execution, List.of());
            EXPERIMENTS_DROPPED.set(execution, false);
        };
    }

    /** A form row with its columns in the order given, so that its JSON reads the same every time. */
    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> row = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) row.put(keysAndValues[i], keysAndValues[i + 1]);
        return row;
    }

    /** The developer approved but dropped experiments: nothing is frozen, and the set goes back to be tested without them. */
    @Bean
    JavaDelegate recordDroppedExperimentsDelegate() {
        return execution -> {
            CHANGE_SET_FROZEN.set(execution, false);
            REVISE_REASON.set(
                    execution,
                    "The developer dropped the experiment(s) " + String.join(", ", DROPPED_EXPERIMENTS.from(execution))
                            + "; the set is tested again without them");
        };
    }

    @Bean
    JavaDelegate recordRejectionDelegate() {
        return execution -> {
            boolean byDeveloper = !"approve".equals(DEVELOPER_DECISION.from(execution));
            String who = byDeveloper ? "developer" : "client";
            String comment = (byDeveloper ? DEVELOPER_COMMENT : CLIENT_COMMENT).from(execution);
            CHANGE_SET_FROZEN.set(execution, false);
            REVISE_REASON.set(
                    execution, "Rejected by the " + who + (comment == null || comment.isBlank() ? "" : ": " + comment));
        };
    }

    /** The site's sign-off clock, as the variables the timers of approval-and-signoff read. */
    @Bean
    ExecutionListener signoffTimesListener(ReleaseVariables vars) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            SiteAccess.SignoffTimes times = release.site().access().signoff();
            SIGNOFF_REMINDER.set(execution, times.reminder().toString());
            SIGNOFF_ESCALATION.set(execution, times.escalation().toString());
            SIGNOFF_EXPIRY.set(execution, times.expiry().toString());
            APPROVAL_EXPIRED.set(execution, false);
        };
    }

    /** The people who can act on the open sign-off are reminded by mail. */
    @Bean
    JavaDelegate remindApproversDelegate(ReleaseVariables vars, ReleaseNotifier mail) {
        return execution -> clockTicked(execution, vars, mail, ReleaseNotifier.About.REMINDER, "reminded");
    }

    /** The open sign-off may now be done by the operators too, and they are told. */
    @Bean
    JavaDelegate escalateSignoffDelegate(ReleaseVariables vars, ReleaseNotifier mail) {
        return execution -> {
            TaskService tasks = execution.getProcessEngineServices().getTaskService();
            for (Task task : openSignoffs(execution)) tasks.addCandidateGroup(task.getId(), Groups.CAMUNDA_ADMIN);
            clockTicked(execution, vars, mail, ReleaseNotifier.About.ESCALATED, "escalated to the operators");
        };
    }

    /** Nobody signed off within the site's expiry: the release ends as expired, and says so. */
    @Bean
    JavaDelegate recordExpiryDelegate(ReleaseVariables vars) {
        return execution -> {
            ReleaseContext release = vars.context(execution);
            APPROVAL_EXPIRED.set(execution, true);
            CHANGE_SET_FROZEN.set(execution, false);
            appendToClock(
                    execution,
                    "no sign-off within "
                            + release.site().access().signoff().expiry() + ": the release expired at "
                            + ClockUtil.getCurrentTime().toInstant()
                            + "; nothing was pushed, a new release starts from a fresh clone");
        };
    }

    private static void clockTicked(
            DelegateExecution execution,
            ReleaseVariables vars,
            ReleaseNotifier mail,
            ReleaseNotifier.About about,
            String what) {
        TaskService tasks = execution.getProcessEngineServices().getTaskService();
        List<String> told = new ArrayList<>();
        ReleaseContext release = vars.context(execution);
        for (Task task : openSignoffs(execution)) {
            told.addAll(mail.aboutTask(
                    ReleaseNotifier.WaitingTask.of(task, tasks),
                    release.id(),
                    release.site().id(),
                    about,
                    QA_REPORT_URL.from(execution)));
            appendToClock(
                    execution,
                    task.getName() + " " + what + " at "
                            + ClockUtil.getCurrentTime().toInstant()
                            + (told.isEmpty() ? "" : " (mail to " + String.join(", ", told) + ")"));
        }
    }

    private static List<Task> openSignoffs(DelegateExecution execution) {
        return execution
                .getProcessEngineServices()
                .getTaskService()
                .createTaskQuery()
                .processInstanceId(execution.getProcessInstanceId())
                .list();
    }

    private static void appendToClock(DelegateExecution execution, String line) {
        String before = SIGNOFF_CLOCK.from(execution);
        SIGNOFF_CLOCK.set(execution, before == null ? line : before + "\n" + line);
        // the open sign-off saw the clock when it was created; Stageguard's own line must not make its completion look
        // like tampering
        TaskCompletionGuard.acceptStageguardWrites(execution, SIGNOFF_CLOCK.name());
    }
}
