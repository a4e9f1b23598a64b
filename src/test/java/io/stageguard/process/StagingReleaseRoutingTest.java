package io.stageguard.process;

import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskQuery;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stageguard.process.engine.ReleaseModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Walks every path of the staging-release model and its six phase models with the delegates
 * mocked: the mocks only set the variables the real delegates promise to set.
 */
@Deployment(
        resources = {
            "bpmn/staging-release.bpmn",
            "bpmn/create-staging-clone.bpmn",
            "bpmn/test-updates.bpmn",
            "bpmn/qa-and-debugging.bpmn",
            "bpmn/approval-and-signoff.bpmn",
            "bpmn/push-to-live.bpmn",
            "bpmn/rollback.bpmn",
            "dmn/quality-gate.dmn",
            "dmn/deployment-confirmation.dmn",
            "dmn/release-risk.dmn",
            "forms/developer-signoff.form",
            "forms/client-signoff.form",
            "forms/revise-change-set.form",
            "forms/confirm-deployment-plan.form"
        })
class StagingReleaseRoutingTest {
    /**
     * Its own engine configuration, not camunda.cfg.xml: a file by that name on the class path is
     * built as a second "default" engine by Camunda's lookup, which the REST API would then use.
     */
    @RegisterExtension
    static ProcessEngineExtension engine = ProcessEngineExtension.builder()
            .configurationResource("routing-engine.cfg.xml")
            .build();
    /** Which delegates ran, in order. */
    private final List<String> calls = new ArrayList<>();
    /** Answers the mocked QA and live verification give, one per call. */
    private final List<Boolean> qaVerdicts = new ArrayList<>();

    private final List<Boolean> liveVerdicts = new ArrayList<>();
    /** Whether live changed since it was tested, one per push; none left means it did not. */
    private final List<Boolean> liveDrifts = new ArrayList<>();

    private boolean deployFails;
    private boolean revisionInvalid;
    private boolean parityBlocked;
    private boolean culpritUnknown;
    /** The deployment plan's risk as the planner would judge it; low pushes without a confirmation. */
    private String planRisk = "low";

    private boolean watchLive;
    /** What the release-risk table decides: whether the client signs off after the developer. */
    private boolean clientSignoffNeeded = true;

    private int releasesEnded;
    private int reviseFormsPrepared;
    /** Health probes in the watch window, one per probe; none left means healthy. */
    private final List<Boolean> probes = new ArrayList<>();

    @BeforeEach
    void mockDelegates() {
        for (String name : List.of(
                "cloneFilesDelegate",
                "cloneDatabaseDelegate",
                "verifyStagingDelegate",
                "captureStagingBeforeDelegate",
                "applyChangeSetDelegate",
                "captureLiveBaselineDelegate",
                "backupLiveDelegate",
                "verifyBackupDelegate",
                "rehearseRollbackDelegate",
                "purgeCachesDelegate",
                "restoreBackupDelegate",
                "verifyRestoredLiveDelegate")) {
            register(name, e -> {});
        }
        register("checkParityDelegate", e -> e.setVariable("parityBlocked", parityBlocked));
        register("browserQaDelegate", e -> {
            e.setVariable("qaPassed", qaVerdicts.remove(0));
            e.setVariable("qaNeedsCulpritSearch", culpritUnknown);
        });
        register("findCulpritsDelegate", e -> {});
        Mocks.register("decideApprovalsDelegate", (JavaDelegate) e -> {
            e.setVariable("clientSignoffNeeded", clientSignoffNeeded);
            e.setVariable("experimentsDropped", false);
        });
        register("recordDroppedExperimentsDelegate", e -> e.setVariable("changeSetFrozen", false));
        register("dropExperimentsDelegate", e -> e.setVariable("experimentsDropped", false));
        Mocks.register("signoffTimesListener", (ExecutionListener) e -> {
            e.setVariable("signoffReminder", "PT4H");
            e.setVariable("signoffEscalation", "PT24H");
            e.setVariable("signoffExpiry", "P3D");
        });
        Mocks.register("releaseEndedListener", (ExecutionListener) e -> releasesEnded++);
        Mocks.register("revisionFieldsListener", (TaskListener) t -> reviseFormsPrepared++);
        register("remindApproversDelegate", e -> {});
        register("escalateSignoffDelegate", e -> {});
        register("recordExpiryDelegate", e -> {
            e.setVariable("approvalExpired", true);
            e.setVariable("changeSetFrozen", false);
        });
        register("freezeChangeSetDelegate", e -> e.setVariable("changeSetFrozen", true));
        register("recordRejectionDelegate", e -> e.setVariable("changeSetFrozen", false));
        register("acceptRevisedChangeSetDelegate", e -> {
            if (revisionInvalid) {
                revisionInvalid = false;
                throw new BpmnError("INVALID_CHANGE_SET", "changes[0].package: no such file");
            }
            e.setVariable("qaRound", (Integer) e.getVariable("qaRound") + 1);
        });
        register("deployFrozenChangesDelegate", e -> {
            e.setVariable("liveVerified", false);
            if (deployFails) throw new BpmnError("DEPLOY_FAILED", "package changed after sign-off");
        });
        register("verifyLiveDelegate", e -> e.setVariable("liveVerified", liveVerdicts.remove(0)));
        register("prepareDeploymentPlanDelegate", e -> {
            e.setVariable("planRisk", planRisk);
            e.setVariable("planDecision", null);
            e.setVariable("deploymentWindow", null);
            e.setVariable("watchLive", watchLive);
            e.setVariable("watchWindow", "PT15M");
            e.setVariable("watchInterval", "PT1M");
        });
        register("probeLiveDelegate", e -> {
            if (!probes.isEmpty() && !probes.remove(0)) {
                e.setVariable("liveVerified", false);
                throw new BpmnError("LIVE_UNHEALTHY", "/: HTTP 500");
            }
        });
        register("checkLiveDriftDelegate", e -> {
            boolean drifted = !liveDrifts.isEmpty() && liveDrifts.remove(0);
            e.setVariable("liveDrifted", drifted);
            if (drifted) throw new BpmnError("LIVE_DRIFTED", "wp-content/plugins/x: its files changed on live");
        });
    }

    private void register(String name, JavaDelegate behaviour) {
        Mocks.register(name, (JavaDelegate) e -> {
            calls.add(name);
            behaviour.execute(e);
        });
    }

    @AfterEach
    void reset() {
        Mocks.reset();
        ClockUtil.reset();
    }

    /** Moves the engine's clock, so that timers fall due without waiting for them. */
    private static void advanceClock(Duration by) {
        ClockUtil.setCurrentTime(
                Date.from(ClockUtil.getCurrentTime().toInstant().plus(by)));
    }

    private ProcessInstance start() {
        return runtimeService()
                .startProcessInstanceByKey(
                        "staging-release", "rel-test", withVariables("siteId", "acme", "qaRound", 1, "maxQaRounds", 3));
    }

    /** Executes jobs until the release waits for a person or ends. */
    private void runJobs() {
        for (int i = 0; i < 100; i++) {
            List<Job> jobs = managementService().createJobQuery().executable().list();
            if (jobs.isEmpty()) return;
            execute(jobs.get(0));
        }
        throw new AssertionError("the release kept producing jobs");
    }

    private Task waitingTask(String taskDefinitionKey) {
        runJobs();
        Task t = taskQuery().taskDefinitionKey(taskDefinitionKey).singleResult();
        if (t == null) throw new AssertionError("no open task " + taskDefinitionKey + "; delegates called: " + calls);
        return t;
    }

    private void signOff(String developer, String client) {
        complete(
                waitingTask("Task_DeveloperSignoff"),
                withVariables("developerDecision", developer, "developerComment", "dev says"));
        if (client != null) {
            complete(
                    waitingTask("Task_ClientSignoff"),
                    withVariables("clientDecision", client, "clientComment", "client says"));
        }
    }

    private void assertEndedAt(ProcessInstance release, String endEvent) {
        runJobs();
        assertThat(release).isEnded().hasPassed(endEvent);
    }

    @Test
    void aBlockingParityMismatchEndsTheReleaseBeforeAnythingIsUpdated() {
        parityBlocked = true;
        ProcessInstance release = start();
        assertEndedAt(release, "EndEvent_ParityBlocked");
        assertEquals(
                List.of("cloneFilesDelegate", "cloneDatabaseDelegate", "verifyStagingDelegate", "checkParityDelegate"),
                calls);
    }

    @Test
    void stagingCanBeRefreshedFromLiveOnItsOwn() {
        ProcessInstance refresh = runtimeService()
                .startProcessInstanceByKey("create-staging-clone", "refresh-test", withVariables("siteId", "acme"));
        runJobs();
        assertThat(refresh).isEnded().hasPassed("Task_CheckParity", "EndEvent_StagingReady");
        assertEquals(
                List.of("cloneFilesDelegate", "cloneDatabaseDelegate", "verifyStagingDelegate", "checkParityDelegate"),
                calls);
    }

    @Test
    void happyPathRunsAllPhasesInOrderAndReleases() {
        qaVerdicts.add(true);
        liveVerdicts.add(true);
        ProcessInstance release = start();
        signOff("approve", "approve");
        assertEndedAt(release, "EndEvent_Released");
        assertEquals(
                List.of(
                        "cloneFilesDelegate",
                        "cloneDatabaseDelegate",
                        "verifyStagingDelegate",
                        "checkParityDelegate",
                        "captureStagingBeforeDelegate",
                        "applyChangeSetDelegate",
                        "browserQaDelegate",
                        "freezeChangeSetDelegate",
                        "prepareDeploymentPlanDelegate",
                        "checkLiveDriftDelegate",
                        "backupLiveDelegate",
                        "verifyBackupDelegate",
                        "rehearseRollbackDelegate",
                        "captureLiveBaselineDelegate",
                        "deployFrozenChangesDelegate",
                        "purgeCachesDelegate",
                        "verifyLiveDelegate"),
                calls);
        assertThat(release)
                .hasPassed(
                        "CallActivity_CreateStagingClone",
                        "CallActivity_TestUpdates",
                        "CallActivity_QaAndDebugging",
                        "CallActivity_ApprovalAndSignoff",
                        "CallActivity_PushToLive")
                .hasNotPassed("CallActivity_Rollback");
    }

    @Test
    void whenTheRiskTableLetsTheDeveloperApproveAloneTheClientIsNotAsked() {
        clientSignoffNeeded = false;
        qaVerdicts.add(true);
        liveVerdicts.add(true);
        ProcessInstance release = start();
        signOff("approve", null);
        assertEndedAt(release, "EndEvent_Released");
        String approval = historyService()
                .createHistoricProcessInstanceQuery()
                .processDefinitionKey("approval-and-signoff")
                .singleResult()
                .getId();
        List<String> passed =
                historyService().createHistoricActivityInstanceQuery().processInstanceId(approval).list().stream()
                        .map(org.camunda.bpm.engine.history.HistoricActivityInstance::getActivityId)
                        .toList();
        org.assertj.core.api.Assertions.assertThat(passed)
                .contains(
                        "Task_DecideApprovals",
                        "Task_DeveloperSignoff",
                        "Gateway_ClientSignoffNeeded",
                        "Task_FreezeChangeSet")
                .doesNotContain("Task_ClientSignoff");
    }

    @Test
    void experimentsDroppedAtSignoffAreTestedAgainWithoutThemOnAFreshCloneBeforeAnythingIsFrozen() {
        qaVerdicts.addAll(List.of(true, true));
        liveVerdicts.add(true);
        ProcessInstance release = start();
        // what TaskCompletionGuard sets when the developer approves with experiments ticked to drop
        complete(
                waitingTask("Task_DeveloperSignoff"),
                withVariables("developerDecision", "approve", "experimentsDropped", true));
        runJobs();
        assertEquals(
                List.of(
                        "cloneFilesDelegate",
                        "cloneDatabaseDelegate",
                        "verifyStagingDelegate",
                        "checkParityDelegate",
                        "captureStagingBeforeDelegate",
                        "applyChangeSetDelegate",
                        "browserQaDelegate",
                        "recordDroppedExperimentsDelegate",
                        "dropExperimentsDelegate",
                        "cloneFilesDelegate"),
                calls.subList(0, 10));
        signOff("approve", "approve");
        assertEndedAt(release, "EndEvent_Released");
        assertEquals(
                1,
                calls.stream().filter("freezeChangeSetDelegate"::equals).count(),
                "frozen once, in the round without the experiments");
    }

    @Test
    void failedQaAsksForRevisionThenRetestsOnAFreshCloneAndReleases() {
        qaVerdicts.addAll(List.of(false, true));
        liveVerdicts.add(true);
        ProcessInstance release = start();
        Task revise = waitingTask("Task_ReviseChangeSet");
        assertEquals(1, reviseFormsPrepared, "the revise form gets its rows when the task is created");
        // who may take it is the site's business, set by TaskCompletionGuard (tested in ApiSecurityTest and end to end)
        complete(revise, withVariables("revisionDecision", "revise"));
        signOff("approve", "approve");
        assertEndedAt(release, "EndEvent_Released");
        assertEquals(
                2, calls.stream().filter("cloneFilesDelegate"::equals).count(), "staging is reset by a fresh clone");
        assertEquals(
                2,
                historyService()
                        .createHistoricVariableInstanceQuery()
                        .processInstanceId(release.getId())
                        .variableName("qaRound")
                        .singleResult()
                        .getValue());
        assertEquals(1, calls.stream().filter("backupLiveDelegate"::equals).count());
    }

    @Test
    void liveChangedSinceTestingSendsTheReleaseBackToAFreshCloneBeforeAnythingIsWritten() {
        qaVerdicts.addAll(List.of(true, true));
        liveDrifts.add(true);
        liveVerdicts.add(true);
        ProcessInstance release = start();
        signOff("approve", "approve");
        // tested again from the clone on, and signed off again, before the push may write
        signOff("approve", "approve");
        assertEndedAt(release, "EndEvent_Released");
        assertEquals(
                2, calls.stream().filter("cloneFilesDelegate"::equals).count(), "a fresh clone of the changed live");
        assertEquals(2, calls.stream().filter("checkLiveDriftDelegate"::equals).count());
        assertEquals(
                1,
                calls.stream().filter("backupLiveDelegate"::equals).count(),
                "nothing was backed up or written while live had drifted");
        assertThat(release).hasPassed(ReleaseModel.GATEWAY_LIVE_AS_TESTED);
        // the first push says why it stopped (the second one, with live unchanged, has nothing to say)
        assertTrue(historyService().createHistoricVariableInstanceQuery().variableName("liveDrift").list().stream()
                .anyMatch(v -> "wp-content/plugins/x: its files changed on live".equals(v.getValue())));
    }

    @Test
    void failuresWithoutAKnownCulpritAreBisectedBeforeTheDevelopersAreAsked() {
        qaVerdicts.add(false);
        culpritUnknown = true;
        ProcessInstance release = start();
        waitingTask("Task_ReviseChangeSet");
        assertThat(release).isWaitingAt("Task_ReviseChangeSet");
        assertEquals(
                List.of(
                        "captureStagingBeforeDelegate",
                        "applyChangeSetDelegate",
                        "browserQaDelegate",
                        "findCulpritsDelegate"),
                calls.subList(4, 8));
        assertEquals(
                1,
                historyService()
                        .createHistoricActivityInstanceQuery()
                        .activityId("Task_FindCulprits")
                        .finished()
                        .count());
    }

    @Test
    void aFailureWhoseCulpritIsKnownGoesStraightToTheDevelopers() {
        qaVerdicts.add(false);
        ProcessInstance release = start();
        waitingTask("Task_ReviseChangeSet");
        assertEquals(
                0,
                historyService()
                        .createHistoricActivityInstanceQuery()
                        .activityId("Task_FindCulprits")
                        .count());
        assertEquals(
                1,
                historyService()
                        .createHistoricActivityInstanceQuery()
                        .activityId("EndEvent_QaDone")
                        .finished()
                        .count());
        assertThat(release).isWaitingAt("Task_ReviseChangeSet");
    }

    @Test
    void failedQaCanBeAbandonedWithoutTouchingLive() {
        qaVerdicts.add(false);
        ProcessInstance release = start();
        complete(waitingTask("Task_ReviseChangeSet"), withVariables("revisionDecision", "abandon"));
        assertEndedAt(release, "EndEvent_Abandoned");
        assertThat(release).hasNotPassed("CallActivity_ApprovalAndSignoff", "CallActivity_PushToLive");
    }

    @Test
    void developerRejectGoesBackToRevisionWithoutAskingTheClient() {
        qaVerdicts.addAll(List.of(true, true));
        liveVerdicts.add(true);
        ProcessInstance release = start();
        signOff("reject", null);
        assertEquals(0, taskQuery().taskDefinitionKey("Task_ClientSignoff").count());
        complete(waitingTask("Task_ReviseChangeSet"), withVariables("revisionDecision", "revise"));
        signOff("approve", "approve");
        assertEndedAt(release, "EndEvent_Released");
        assertEquals(1, calls.stream().filter("recordRejectionDelegate"::equals).count());
    }

    @Test
    void clientRejectGoesBackToRevisionAndNothingIsFrozen() {
        qaVerdicts.add(true);
        ProcessInstance release = start();
        signOff("approve", "reject");
        Task revise = waitingTask("Task_ReviseChangeSet");
        assertEquals(
                List.of(),
                calls.stream()
                        .filter(c -> c.equals("freezeChangeSetDelegate") || c.contains("Live"))
                        .toList());
        complete(revise, withVariables("revisionDecision", "abandon"));
        assertEndedAt(release, "EndEvent_Abandoned");
    }

    @Test
    void failedLiveVerificationRestoresTheBackupAndEndsRolledBack() {
        qaVerdicts.add(true);
        liveVerdicts.add(false);
        ProcessInstance release = start();
        signOff("approve", "approve");
        assertEndedAt(release, "EndEvent_RolledBack");
        assertEquals(
                List.of("restoreBackupDelegate", "purgeCachesDelegate", "verifyRestoredLiveDelegate"),
                calls.subList(calls.size() - 3, calls.size()));
    }

    @Test
    void rollbackJobsComeBeforeAnyOtherWaitingStep() {
        qaVerdicts.add(true);
        liveVerdicts.add(false);
        start();
        signOff("approve", "approve");
        for (int i = 0;
                i < 100
                        && managementService()
                                        .createJobQuery()
                                        .processDefinitionKey("rollback")
                                        .count()
                                == 0;
                i++) {
            Job next = managementService().createJobQuery().executable().list().get(0);
            assertEquals(0, next.getPriority(), "an ordinary step");
            execute(next);
            if (managementService()
                            .createJobQuery()
                            .activityId(ReleaseModel.CALL_ROLLBACK)
                            .count()
                    > 0) break;
        }
        assertEquals(
                100,
                managementService()
                        .createJobQuery()
                        .activityId(ReleaseModel.CALL_ROLLBACK)
                        .singleResult()
                        .getPriority());
        execute(managementService()
                .createJobQuery()
                .activityId(ReleaseModel.CALL_ROLLBACK)
                .singleResult());
        assertTrue(managementService().createJobQuery().processDefinitionKey("rollback").list().stream()
                .allMatch(j -> j.getPriority() == 100));
    }

    @Test
    void refusedDeployAlsoLeadsToRollback() {
        qaVerdicts.add(true);
        deployFails = true;
        ProcessInstance release = start();
        signOff("approve", "approve");
        assertEndedAt(release, "EndEvent_RolledBack");
        assertEquals(
                List.of(
                        "deployFrozenChangesDelegate",
                        "restoreBackupDelegate",
                        "purgeCachesDelegate",
                        "verifyRestoredLiveDelegate"),
                calls.subList(calls.size() - 4, calls.size()),
                "no purge or verification of a refused deploy: straight to the restore");
        assertEquals(
                "package changed after sign-off",
                historyService()
                        .createHistoricVariableInstanceQuery()
                        .processInstanceId(release.getId())
                        .variableName("deployError")
                        .singleResult()
                        .getValue());
    }

    @Test
    void invalidRevisionReturnsToTheReviseTaskWithTheReason() {
        qaVerdicts.addAll(List.of(false, true));
        liveVerdicts.add(true);
        revisionInvalid = true;
        ProcessInstance release = start();
        complete(waitingTask("Task_ReviseChangeSet"), withVariables("revisionDecision", "revise"));
        Task again = waitingTask("Task_ReviseChangeSet");
        assertEquals(
                "changes[0].package: no such file", runtimeService().getVariable(release.getId(), "revisionError"));
        complete(again, withVariables("revisionDecision", "revise"));
        signOff("approve", "approve");
        assertEndedAt(release, "EndEvent_Released");
    }

    @Test
    void qaRoundsRunOutAfterTheConfiguredMaximum() {
        qaVerdicts.addAll(List.of(false, false, false));
        ProcessInstance release = start();
        for (int round = 1; round <= 3; round++) {
            complete(waitingTask("Task_ReviseChangeSet"), withVariables("revisionDecision", "revise"));
        }
        assertEndedAt(release, "EndEvent_RoundsExhausted");
        assertEquals(3, calls.stream().filter("browserQaDelegate"::equals).count());
    }

    @Test
    void startingOnlyCreatesAJobSoTheCallerNeverWaitsForCloning() {
        ProcessInstance release = start();
        assertThat(release).isWaitingAt("CallActivity_CreateStagingClone");
        assertEquals(List.of(), calls);
        assertEquals(
                1,
                managementService()
                        .createJobQuery()
                        .processInstanceId(release.getId())
                        .count());
    }

    @Test
    void aRiskyPlanWaitsForAConfirmationAndACancelledPushLeavesLiveUntouched() {
        qaVerdicts.add(true);
        planRisk = "high";
        ProcessInstance release = start();
        signOff("approve", "approve");
        complete(waitingTask("Task_ConfirmDeploymentPlan"), withVariables("planDecision", "cancel"));
        assertEndedAt(release, "EndEvent_PushCancelled");
        assertEquals(
                List.of(),
                calls.stream()
                        .filter(c -> c.contains("Live")
                                || c.contains("Backup")
                                || c.contains("Deploy") && !c.contains("Plan"))
                        .toList());
    }

    @Test
    void aLowRiskPlanIsPushedWithoutAConfirmation() {
        qaVerdicts.add(true);
        liveVerdicts.add(true);
        ProcessInstance release = start();
        signOff("approve", "approve");
        assertEndedAt(release, "EndEvent_Released");
        assertEquals(
                0,
                historyService()
                        .createHistoricActivityInstanceQuery()
                        .activityId("Task_ConfirmDeploymentPlan")
                        .count());
        assertEquals(
                false,
                historyService()
                        .createHistoricVariableInstanceQuery()
                        .variableName("confirmPlan")
                        .singleResult()
                        .getValue(),
                "decided by the deployment-confirmation table");
    }

    @Test
    void aConfirmedPlanWithADeploymentWindowWaitsForItsTimeBeforeTouchingLive() {
        qaVerdicts.add(true);
        liveVerdicts.add(true);
        planRisk = "normal";
        ProcessInstance release = start();
        signOff("approve", "approve");
        Instant window = ClockUtil.getCurrentTime().toInstant().plus(Duration.ofHours(6));
        complete(
                waitingTask("Task_ConfirmDeploymentPlan"),
                withVariables("planDecision", "confirm", "deploymentWindow", window.toString()));
        runJobs();
        ProcessInstance push = runtimeService()
                .createProcessInstanceQuery()
                .processDefinitionKey("push-to-live")
                .singleResult();
        assertThat(push).isWaitingAt(ReleaseModel.TIMER_DEPLOYMENT_WINDOW);
        assertEquals(
                0,
                calls.stream().filter("checkLiveDriftDelegate"::equals).count(),
                "nothing happens before the window");
        advanceClock(Duration.ofHours(6).plusMinutes(1));
        assertEndedAt(release, "EndEvent_Released");
        assertEquals(
                1, calls.stream().filter("deployFrozenChangesDelegate"::equals).count());
    }

    @Test
    void aSignoffNobodyGivesIsRemindedThenEscalatedThenTheReleaseExpiresWithoutTouchingLive() {
        qaVerdicts.add(true);
        ProcessInstance release = start();
        waitingTask("Task_DeveloperSignoff");
        advanceClock(Duration.ofHours(4).plusMinutes(1));
        runJobs();
        assertEquals(
                List.of("remindApproversDelegate"),
                calls.stream()
                        .filter(c -> c.contains("Approvers") || c.contains("Signoff"))
                        .toList());
        waitingTask("Task_DeveloperSignoff");
        advanceClock(Duration.ofHours(20));
        runJobs();
        assertEquals(1, calls.stream().filter("escalateSignoffDelegate"::equals).count());
        waitingTask("Task_DeveloperSignoff");
        advanceClock(Duration.ofDays(2));
        assertEndedAt(release, ReleaseModel.END_APPROVAL_EXPIRED);
        assertThat(release).hasNotPassed("CallActivity_PushToLive", "Task_ReviseChangeSet");
        assertEquals(1, releasesEnded, "the starter is told once");
    }

    @Test
    void aClientWhoAnswersAfterTheReminderStillSignsOff() {
        qaVerdicts.add(true);
        liveVerdicts.add(true);
        ProcessInstance release = start();
        complete(waitingTask("Task_DeveloperSignoff"), withVariables("developerDecision", "approve"));
        waitingTask("Task_ClientSignoff");
        advanceClock(Duration.ofHours(5));
        runJobs();
        assertEquals(1, calls.stream().filter("remindApproversDelegate"::equals).count());
        complete(waitingTask("Task_ClientSignoff"), withVariables("clientDecision", "approve"));
        assertEndedAt(release, "EndEvent_Released");
        assertEquals(0, managementService().createJobQuery().timers().count(), "the sign-off's timers went with it");
    }

    /** A release pushed and verified, now watching live. */
    private ProcessInstance pushedAndWatched() {
        qaVerdicts.add(true);
        liveVerdicts.add(true);
        watchLive = true;
        ProcessInstance release = start();
        signOff("approve", "approve");
        runJobs();
        return release;
    }

    @Test
    void aProbeThatFailsInTheWatchWindowRollsLiveBack() {
        probes.addAll(List.of(true, false));
        ProcessInstance release = pushedAndWatched();
        assertThat(runtimeService()
                        .createProcessInstanceQuery()
                        .processDefinitionKey("push-to-live")
                        .singleResult())
                .isWaitingAt("Timer_NextProbe");
        advanceClock(Duration.ofMinutes(2));
        runJobs();
        advanceClock(Duration.ofMinutes(2));
        assertEndedAt(release, "EndEvent_RolledBack");
        assertEquals(2, calls.stream().filter("probeLiveDelegate"::equals).count());
        assertEquals(
                "/: HTTP 500",
                historyService()
                        .createHistoricVariableInstanceQuery()
                        .processInstanceId(release.getId())
                        .variableName("watchReport")
                        .singleResult()
                        .getValue());
    }

    @Test
    void aRollbackRequestedDuringTheWatchRollsLiveBack() {
        ProcessInstance release = pushedAndWatched();
        runtimeService()
                .createMessageCorrelation(ReleaseModel.MESSAGE_ROLLBACK_REQUESTED)
                .processInstanceBusinessKey("rel-test")
                .setVariable("liveVerified", false)
                .setVariable("rollbackRequest", "requested by operator")
                .correlateWithResult();
        assertEndedAt(release, "EndEvent_RolledBack");
        assertEquals(
                "requested by operator",
                historyService()
                        .createHistoricVariableInstanceQuery()
                        .processInstanceId(release.getId())
                        .variableName("rollbackRequest")
                        .singleResult()
                        .getValue());
    }

    @Test
    void aQuietWatchWindowEndsReleased() {
        ProcessInstance release = pushedAndWatched();
        for (int minute = 0; minute < 16; minute++) {
            advanceClock(Duration.ofMinutes(1).plusSeconds(1));
            runJobs();
        }
        assertEndedAt(release, "EndEvent_Released");
        assertTrue(
                calls.stream().filter("probeLiveDelegate"::equals).count() >= 10,
                "probed about once a minute: " + calls);
        assertEquals(
                1,
                historyService()
                        .createHistoricActivityInstanceQuery()
                        .activityId("BoundaryEvent_WatchWindowOver")
                        .count());
    }
}
