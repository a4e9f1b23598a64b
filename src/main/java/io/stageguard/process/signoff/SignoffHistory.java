package io.stageguard.process.signoff;

import io.stageguard.process.engine.ReleaseModel;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.history.UserOperationLogEntry;

/** Who decided a release's tasks, from the engine's history. */
public final class SignoffHistory {
    private SignoffHistory() {}

    /** Who completed the task: its assignee, or the user the engine's operation log names for its completion; empty while open. */
    public static String decidedBy(HistoryService history, HistoricTaskInstance task) {
        if (task.getAssignee() != null) return task.getAssignee();
        if (task.getEndTime() == null) return "";
        return history
                .createUserOperationLogQuery()
                .taskId(task.getId())
                .operationType(UserOperationLogEntry.OPERATION_TYPE_COMPLETE)
                .list()
                .stream()
                .map(UserOperationLogEntry::getUserId)
                .filter(u -> u != null)
                .findFirst()
                .orElse("");
    }

    /** Who gave the latest developer and client sign-offs of the process instance, in that order. */
    public static List<String> approvers(HistoryService history, String processInstanceId) {
        List<String> people = new ArrayList<>();
        for (String key : List.of(ReleaseModel.TASK_DEVELOPER_SIGNOFF, ReleaseModel.TASK_CLIENT_SIGNOFF)) {
            history
                    .createHistoricTaskInstanceQuery()
                    .processInstanceId(processInstanceId)
                    .taskDefinitionKey(key)
                    .finished()
                    .orderByHistoricTaskInstanceEndTime()
                    .desc()
                    .listPage(0, 1)
                    .stream()
                    .map(t -> decidedBy(history, t))
                    .filter(u -> !u.isBlank())
                    .forEach(people::add);
        }
        return people;
    }
}
