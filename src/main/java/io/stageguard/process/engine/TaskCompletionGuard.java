package io.stageguard.process.engine;

import io.stageguard.access.AccessPolicy;
import io.stageguard.notify.ReleaseNotifier;
import io.stageguard.push.DeploymentWindow;
import io.stageguard.release.ReleaseRecords;
import io.stageguard.site.Site;
import io.stageguard.site.SiteAccess;
import io.stageguard.site.registry.SiteRegistry;
import io.stageguard.support.Sha256;
import io.stageguard.update.PackageFolders;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.HandleTaskBpmnErrorCmd;
import org.camunda.bpm.engine.impl.cmd.HandleTaskEscalationCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What people may do with Stageguard's user tasks, enforced by the engine for every way a task is
 * completed (Tasklist, the engine's REST API, Java):
 * <ul>
 *   <li>the site's own developers and clients are the task's candidates, so a client of one site
 *       never sees or completes another site's tasks (the engine grants per-task authorizations to
 *       candidates);</li>
 *   <li>a completion may set only that form's fields: anything else (a {@code siteId}, a
 *       {@code qaRound}, a QA verdict) is refused with the names, and nothing is kept;</li>
 *   <li>a decision must be one the form offers, and a rejection needs a comment;</li>
 *   <li>four-eyes: the user who started or last revised a release cannot approve it in developer
 *       sign-off (per site, on by default); rejecting stays open to them.</li>
 * </ul>
 */
@Component
public class TaskCompletionGuard extends AbstractProcessEnginePlugin {
    /** Task-local: fingerprints of every variable the task could see when it was created. */
    static final String FINGERPRINTS = "stageguardVariableFingerprints";
    /**
     * Kept as JSON (name to hash), readable in Cockpit and free of Java serialization; not as one
     * string, which the engine's history caps at 4000 characters (some fifty variables' worth).
     */
    private static final ProcessVariable<Map<String, String>> FINGERPRINT_MAP =
            ProcessVariable.json(FINGERPRINTS, new com.fasterxml.jackson.core.type.TypeReference<>() {});

    /** The user tasks Stageguard models, each with the only variables its form may set. */
    enum GuardedTask {
        DEVELOPER_SIGNOFF(
                ReleaseModel.TASK_DEVELOPER_SIGNOFF,
                true,
                ReleaseVariables.DEVELOPER_DECISION,
                ReleaseVariables.DEVELOPER_COMMENT,
                Set.of(ReleaseVariables.DROPPED_EXPERIMENTS.name()),
                "approve",
                "reject"),
        CLIENT_SIGNOFF(
                ReleaseModel.TASK_CLIENT_SIGNOFF,
                false,
                ReleaseVariables.CLIENT_DECISION,
                ReleaseVariables.CLIENT_COMMENT,
                Set.of(),
                "approve",
                "reject"),
        REVISE_CHANGE_SET(
                ReleaseModel.TASK_REVISE_CHANGE_SET,
                true,
                ReleaseVariables.REVISION_DECISION,
                ReleaseVariables.REVISED_CHANGES,
                Set.of(
                        ReleaseVariables.DROPPED_CHANGES.name(),
                        ReleaseVariables.ADDED_TYPE.name(),
                        ReleaseVariables.ADDED_SLUG.name(),
                        ReleaseVariables.ADDED_VERSION.name(),
                        ReleaseVariables.ADDED_PACKAGE.name()),
                "revise",
                "abandon"),
        CONFIRM_DEPLOYMENT_PLAN(
                ReleaseModel.TASK_CONFIRM_DEPLOYMENT_PLAN,
                true,
                ReleaseVariables.PLAN_DECISION,
                ReleaseVariables.DEPLOYMENT_WINDOW,
                Set.of(),
                "confirm",
                "cancel");

        final String taskId;
        final boolean forDevelopers;
        final String decision;
        final String detail;
        /** further fields the form sets (the experiments the developer drops) */
        final Set<String> extra;

        final Set<String> decisions;

        GuardedTask(
                String taskId,
                boolean forDevelopers,
                ProcessVariable<String> decision,
                ProcessVariable<String> detail,
                Set<String> extra,
                String... decisions) {
            this.taskId = taskId;
            this.forDevelopers = forDevelopers;
            this.decision = decision.name();
            this.detail = detail.name();
            this.extra = extra;
            this.decisions = Set.of(decisions);
        }

        Set<String> fields() {
            Set<String> fields = new java.util.HashSet<>(extra);
            fields.add(decision);
            fields.add(detail);
            return fields;
        }

        static GuardedTask of(String taskDefinitionKey) {
            return Arrays.stream(values())
                    .filter(t -> t.taskId.equals(taskDefinitionKey))
                    .findFirst()
                    .orElse(null);
        }
    }

    private final ObjectProvider<AccessPolicy> policy;
    private final ReleaseRecords releases;
    private final SiteRegistry sites;
    private final ObjectProvider<ReleaseNotifier> mail;
    private final ObjectProvider<PackageFolders> packageFolders;

    public TaskCompletionGuard(
            ObjectProvider<AccessPolicy> policy,
            ReleaseRecords releases,
            SiteRegistry sites,
            ObjectProvider<ReleaseNotifier> mail,
            ObjectProvider<PackageFolders> packageFolders) {
        this.mail = mail;
        this.packageFolders = packageFolders;
        this.policy = policy;
        this.releases = releases;
        this.sites = sites;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        // a BPMN error or escalation thrown from a task ends it with any variables and no completion: only operators
        // may
        CommandInterceptor noErrorsFromTasks = new CommandInterceptor() {
            @Override
            public <T> T execute(Command<T> command) {
                if (command instanceof HandleTaskBpmnErrorCmd || command instanceof HandleTaskEscalationCmd) {
                    Authentication who = configuration.getIdentityService().getCurrentAuthentication();
                    if (who != null && !policy.getObject().seesEverything(who.getUserId())) {
                        throw new AuthorizationException(
                                "Only operators may end a task with a BPMN error or an escalation; " + who.getUserId()
                                        + " can complete it with the form's fields. Nothing was changed.");
                    }
                }
                return next.execute(command);
            }
        };
        List<CommandInterceptor> interceptors = new java.util.ArrayList<>();
        if (configuration.getCustomPreCommandInterceptorsTxRequired() != null)
            interceptors.addAll(configuration.getCustomPreCommandInterceptorsTxRequired());
        interceptors.add(noErrorsFromTasks);
        configuration.setCustomPreCommandInterceptorsTxRequired(interceptors);
        TaskListener onCreate = this::created;
        TaskListener onComplete = this::completing;
        configuration.getCustomPostBPMNParseListeners().add(new AbstractBpmnParseListener() {
            @Override
            public void parseUserTask(Element element, ScopeImpl scope, ActivityImpl activity) {
                if (GuardedTask.of(activity.getId()) == null) return;
                var definition = ((UserTaskActivityBehavior) activity.getActivityBehavior()).getTaskDefinition();
                definition.addTaskListener(TaskListener.EVENTNAME_CREATE, onCreate);
                definition.addTaskListener(TaskListener.EVENTNAME_COMPLETE, onComplete);
            }
        });
    }

    void created(DelegateTask task) {
        GuardedTask kind = GuardedTask.of(task.getTaskDefinitionKey());
        Site site = sites.get(
                releases.get(task.getExecution().getProcessBusinessKey()).siteId());
        SiteAccess.Approvers approvers =
                kind.forDevelopers ? site.access().developers() : site.access().clients();
        // the models name no candidates: the site's own people are the only ones, so the engine grants this task to
        // them alone
        approvers.groups().forEach(task::addCandidateGroup);
        approvers.users().forEach(task::addCandidateUser);
        if (kind == GuardedTask.DEVELOPER_SIGNOFF || kind == GuardedTask.CLIENT_SIGNOFF) {
            task.setDueDate(Date.from(ClockUtil.getCurrentTime()
                    .toInstant()
                    .plus(site.access().signoff().due())));
        }
        task.setVariableLocal(FINGERPRINTS, FINGERPRINT_MAP.stored(fingerprints(task)));
        // the people who can act hear of it (after the commit), with the task's link
        mail.getObject()
                .aboutTask(
                        new ReleaseNotifier.WaitingTask(
                                task.getId(), task.getName(), task.getDueDate(), task.getCandidates()),
                        task.getExecution().getProcessBusinessKey(),
                        site.id(),
                        ReleaseNotifier.About.WAITING,
                        ReleaseVariables.QA_REPORT_URL.from(task));
    }

    void completing(DelegateTask task) {
        GuardedTask kind = GuardedTask.of(task.getTaskDefinitionKey());
        String name = "'" + task.getName() + "'";
        Map<String, String> before = FINGERPRINT_MAP.read(task.getVariableLocal(FINGERPRINTS));
        Map<String, String> after = fingerprints(task);
        Set<String> names = new HashSet<>(before.keySet());
        names.addAll(after.keySet());
        List<String> changed = names.stream()
                .filter(n -> !kind.fields().contains(n))
                .filter(n -> !Objects.equals(before.get(n), after.get(n)))
                .sorted()
                .toList();
        if (!changed.isEmpty()) {
            throw new ProcessEngineException("The task " + name + " may set only "
                    + kind.fields().stream().sorted().collect(Collectors.joining(" and ")) + "; it tried to change "
                    + String.join(", ", changed) + ". Nothing was saved.");
        }
        // the form's fields are read from the process, where a completion puts them: a task-local value of the same
        // name would
        // shadow them in task.getVariable, so none may exist besides Stageguard's own
        List<String> local = task.getVariableNamesLocal().stream()
                .filter(n -> !n.equals(FINGERPRINTS))
                .sorted()
                .toList();
        if (!local.isEmpty()) {
            throw new ProcessEngineException(
                    "The task " + name + " holds variables of its own (" + String.join(", ", local)
                            + "), which Stageguard's tasks never have; an operator must remove them before it can be completed. Nothing was saved.");
        }
        Object decision = task.getExecution().getVariable(kind.decision);
        if (decision == null || !kind.decisions.contains(decision.toString())) {
            throw new ProcessEngineException("The task " + name + " needs " + kind.decision + " to be one of "
                    + kind.decisions.stream().sorted().toList() + ", not " + decision + ". Nothing was saved.");
        }
        Object detail = task.getExecution().getVariable(kind.detail);
        if (kind != GuardedTask.REVISE_CHANGE_SET
                && "reject".equals(decision)
                && (detail == null || detail.toString().isBlank())) {
            throw new ProcessEngineException("Rejecting in " + name
                    + " needs a comment that tells the developers what to change. Nothing was saved.");
        }
        String releaseId = task.getExecution().getProcessBusinessKey();
        String user = Context.getCommandContext().getAuthenticatedUserId();
        ReleaseRecords.Release release = releases.get(releaseId);
        Site site = sites.get(release.siteId());
        SiteAccess.Approvers approvers =
                kind.forDevelopers ? site.access().developers() : site.access().clients();
        if (user != null
                && !policy.getObject().isOneOf(user, approvers)
                && !policy.getObject().seesEverything(user)) {
            throw new ProcessEngineException(
                    "User " + user + " is not among the " + (kind.forDevelopers ? "developers" : "clients")
                            + " of site " + site.id() + " and cannot complete " + name + ".");
        }
        if (kind == GuardedTask.DEVELOPER_SIGNOFF && site.access().fourEyes() && "approve".equals(decision)) {
            if (user == null)
                throw new ProcessEngineException(
                        "Developer sign-off needs a logged-in user (four-eyes is on for site " + site.id() + ").");
            if (user.equals(release.startedBy()) || user.equals(release.lastRevisedBy())) {
                throw new ProcessEngineException("Four eyes: " + user + " "
                        + (user.equals(release.startedBy()) ? "started" : "last revised") + " release " + releaseId
                        + " and cannot also approve it; another developer of site " + site.id() + " must.");
            }
        }
        if (kind == GuardedTask.DEVELOPER_SIGNOFF) {
            List<String> dropped = ReleaseVariables.DROPPED_EXPERIMENTS.from(task);
            List<Map<String, String>> choices = ReleaseVariables.EXPERIMENT_CHOICES.from(task);
            Set<String> offered = choices == null
                    ? Set.of()
                    : choices.stream().map(c -> c.get("value")).collect(Collectors.toSet());
            if (dropped != null && !offered.containsAll(dropped)) {
                throw new ProcessEngineException("The task " + name + " may drop only the experiments it offers "
                        + offered.stream().sorted().toList() + ", not " + dropped + ". Nothing was saved.");
            }
            List<io.stageguard.update.Change> changes = ReleaseVariables.CHANGES.from(task);
            if (dropped != null
                    && changes != null
                    && changes.stream().allMatch(c -> c.experiment() && dropped.contains(c.key()))) {
                throw new ProcessEngineException("Dropping every change in " + name
                        + " leaves nothing to release: reject the release instead. Nothing was saved.");
            }
            ReleaseVariables.EXPERIMENTS_DROPPED.set(
                    task.getExecution(), "approve".equals(decision) && dropped != null && !dropped.isEmpty());
        }
        if (kind == GuardedTask.REVISE_CHANGE_SET
                && "revise".equals(decision)
                && (detail == null || detail.toString().isBlank())) {
            // the form's fields (the JSON in revisedChanges is for other systems, and checked when the set is accepted)
            Map<String, String> problems = ReleaseVariables.revision(task)
                    .problems(ReleaseVariables.CHANGES.from(task), packageFolders.getObject());
            if (!problems.isEmpty()) {
                throw new ProcessEngineException("The revised change set has problems: "
                        + problems.entrySet().stream()
                                .map(e -> e.getKey() + ": " + e.getValue())
                                .collect(Collectors.joining("; "))
                        + ". Nothing was saved.");
            }
        }
        if (kind == GuardedTask.REVISE_CHANGE_SET && user != null && "revise".equals(decision))
            releases.revisedBy(releaseId, user);
        if (kind == GuardedTask.CONFIRM_DEPLOYMENT_PLAN) {
            String window;
            try {
                window = "confirm".equals(decision) ? DeploymentWindow.normalize(detail, Instant.now()) : "";
            } catch (IllegalArgumentException e) {
                throw new ProcessEngineException(e.getMessage());
            }
            ReleaseVariables.DEPLOYMENT_WINDOW.set(task.getExecution(), window);
        }
    }

    /**
     * Stageguard itself wrote {@code names} while guarded tasks of the process were open (the
     * sign-off clock's reminder and escalation): their new values are what those tasks now saw, so a
     * completion is not refused for them. Only these names are taken over: anything a person changed
     * through the engine's API stays a change, and is still refused.
     */
    public static void acceptStageguardWrites(DelegateExecution execution, String... names) {
        for (Task open : execution
                .getProcessEngineServices()
                .getTaskService()
                .createTaskQuery()
                .processInstanceId(execution.getProcessInstanceId())
                .list()) {
            // inside the engine's command a query answers with the task entities themselves
            if (!(open instanceof DelegateTask task) || GuardedTask.of(task.getTaskDefinitionKey()) == null) continue;
            Map<String, String> prints = new TreeMap<>(FINGERPRINT_MAP.read(task.getVariableLocal(FINGERPRINTS)));
            Map<String, String> now = fingerprints(task);
            for (String name : names) {
                if (now.containsKey(name)) prints.put(name, now.get(name));
                else prints.remove(name);
            }
            task.setVariableLocal(FINGERPRINTS, FINGERPRINT_MAP.stored(prints));
        }
    }

    /** Every variable the task's process can see, by name, as a hash of its type and value. */
    private static Map<String, String> fingerprints(DelegateTask task) {
        Map<String, String> prints = new TreeMap<>();
        VariableMap variables = task.getExecution().getVariablesTyped();
        for (String name : variables.keySet()) {
            TypedValue typed = variables.getValueTyped(name);
            prints.put(name, Sha256.of(typed.getType().getName() + ":" + typed.getValue()));
        }
        return prints;
    }
}
