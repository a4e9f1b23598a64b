package io.stageguard.process.engine;

import java.util.List;
import java.util.Map;

/**
 * The models' process keys and the element ids code and tests refer to, declared once. A test
 * (ReleaseModelTest) reads bpmn/ and fails if an id here is missing from its model.
 */
public final class ReleaseModel {
    public static final String STAGING_RELEASE = "staging-release";
    public static final String CREATE_STAGING_CLONE = "create-staging-clone";
    public static final String TEST_UPDATES = "test-updates";
    public static final String QA_AND_DEBUGGING = "qa-and-debugging";
    public static final String APPROVAL_AND_SIGNOFF = "approval-and-signoff";
    public static final String PUSH_TO_LIVE = "push-to-live";
    public static final String ROLLBACK = "rollback";

    // staging-release
    public static final String CALL_CREATE_STAGING_CLONE = "CallActivity_CreateStagingClone";
    public static final String CALL_TEST_UPDATES = "CallActivity_TestUpdates";
    public static final String CALL_QA_AND_DEBUGGING = "CallActivity_QaAndDebugging";
    public static final String CALL_APPROVAL_AND_SIGNOFF = "CallActivity_ApprovalAndSignoff";
    public static final String CALL_PUSH_TO_LIVE = "CallActivity_PushToLive";
    public static final String CALL_ROLLBACK = "CallActivity_Rollback";
    public static final String TASK_REVISE_CHANGE_SET = "Task_ReviseChangeSet";
    public static final String GATEWAY_LIVE_AS_TESTED = "Gateway_LiveAsTested";
    public static final String END_RELEASED = "EndEvent_Released";
    public static final String END_ROLLED_BACK = "EndEvent_RolledBack";
    public static final String END_ABANDONED = "EndEvent_Abandoned";
    public static final String END_ROUNDS_EXHAUSTED = "EndEvent_RoundsExhausted";
    public static final String END_PARITY_BLOCKED = "EndEvent_ParityBlocked";
    // create-staging-clone
    public static final String TASK_CHECK_PARITY = "Task_CheckParity";
    public static final String END_STAGING_READY = "EndEvent_StagingReady";
    // test-updates
    public static final String TASK_CAPTURE_STAGING_BEFORE = "Task_CaptureStagingBefore";
    public static final String TASK_APPLY_CHANGE_SET = "Task_ApplyChangeSet";
    // qa-and-debugging
    public static final String TASK_FIND_CULPRITS = "Task_FindCulprits";
    public static final String END_QA_DONE = "EndEvent_QaDone";
    // approval-and-signoff
    public static final String TASK_DEVELOPER_SIGNOFF = "Task_DeveloperSignoff";
    public static final String TASK_CLIENT_SIGNOFF = "Task_ClientSignoff";
    public static final String TASK_REMIND_APPROVERS = "Task_RemindApprovers";
    public static final String TASK_ESCALATE_SIGNOFF = "Task_EscalateSignoff";
    /** In approval-and-signoff and in staging-release: no sign-off within the site's expiry. */
    public static final String END_APPROVAL_EXPIRED = "EndEvent_ApprovalExpired";
    // push-to-live
    public static final String TASK_CONFIRM_DEPLOYMENT_PLAN = "Task_ConfirmDeploymentPlan";
    public static final String TIMER_DEPLOYMENT_WINDOW = "Timer_DeploymentWindow";
    public static final String SUBPROCESS_WATCH_LIVE = "SubProcess_WatchLive";
    public static final String MESSAGE_ROLLBACK_REQUESTED = "RollbackRequested";
    public static final String END_PUSHED = "EndEvent_Pushed";
    public static final String END_PUSH_CANCELLED = "EndEvent_PushCancelled";

    /** Model key to the element ids above that it must hold. */
    public static final Map<String, List<String>> ELEMENTS = Map.of(
            STAGING_RELEASE,
                    List.of(
                            CALL_CREATE_STAGING_CLONE,
                            CALL_TEST_UPDATES,
                            CALL_QA_AND_DEBUGGING,
                            CALL_APPROVAL_AND_SIGNOFF,
                            CALL_PUSH_TO_LIVE,
                            CALL_ROLLBACK,
                            TASK_REVISE_CHANGE_SET,
                            GATEWAY_LIVE_AS_TESTED,
                            END_RELEASED,
                            END_ROLLED_BACK,
                            END_ABANDONED,
                            END_ROUNDS_EXHAUSTED,
                            END_PARITY_BLOCKED,
                            END_APPROVAL_EXPIRED),
            CREATE_STAGING_CLONE, List.of(TASK_CHECK_PARITY, END_STAGING_READY),
            TEST_UPDATES, List.of(TASK_CAPTURE_STAGING_BEFORE, TASK_APPLY_CHANGE_SET),
            QA_AND_DEBUGGING, List.of(TASK_FIND_CULPRITS, END_QA_DONE),
            APPROVAL_AND_SIGNOFF,
                    List.of(
                            TASK_DEVELOPER_SIGNOFF,
                            TASK_CLIENT_SIGNOFF,
                            TASK_REMIND_APPROVERS,
                            TASK_ESCALATE_SIGNOFF,
                            END_APPROVAL_EXPIRED),
            PUSH_TO_LIVE,
                    List.of(
                            TASK_CONFIRM_DEPLOYMENT_PLAN,
                            TIMER_DEPLOYMENT_WINDOW,
                            SUBPROCESS_WATCH_LIVE,
                            END_PUSHED,
                            END_PUSH_CANCELLED));

    private ReleaseModel() {}
}
