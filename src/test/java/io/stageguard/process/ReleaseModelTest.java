package io.stageguard.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.process.engine.ReleaseModel;
import io.stageguard.process.engine.ReleaseVariables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.CallActivity;
import org.camunda.bpm.model.bpmn.instance.ConditionExpression;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaIn;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaOut;
import org.junit.jupiter.api.Test;

/**
 * Model lint: the models in bpmn/ and the code agree on every name. Element ids the code uses exist;
 * call activities pass declared variables explicitly (never "all"); gateways read only declared
 * variables; every service task is asynchronous with a delegate bean, so a crash resumes there and
 * a failure becomes an incident.
 */
class ReleaseModelTest {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static List<BpmnModelInstance> models() throws IOException {
        List<BpmnModelInstance> models = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("bpmn"))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".bpmn")).sorted().toList())
                models.add(Bpmn.readModelFromFile(file.toFile()));
        }
        return models;
    }

    private static String key(BpmnModelInstance model) {
        return model.getModelElementsByType(Process.class).iterator().next().getId();
    }

    @Test
    void everyElementIdTheCodeUsesIsInItsModel() throws IOException {
        Map<String, BpmnModelInstance> byKey = new java.util.HashMap<>();
        for (BpmnModelInstance model : models()) byKey.put(key(model), model);
        assertThat(byKey)
                .containsKeys(
                        ReleaseModel.STAGING_RELEASE,
                        ReleaseModel.CREATE_STAGING_CLONE,
                        ReleaseModel.TEST_UPDATES,
                        ReleaseModel.QA_AND_DEBUGGING,
                        ReleaseModel.APPROVAL_AND_SIGNOFF,
                        ReleaseModel.PUSH_TO_LIVE,
                        ReleaseModel.ROLLBACK);
        ReleaseModel.ELEMENTS.forEach((model, ids) -> {
            for (String id : ids)
                assertThat((Object) byKey.get(model).getModelElementById(id))
                        .as(model + " holds " + id)
                        .isNotNull();
        });
    }

    @Test
    void callActivitiesPassOnlyDeclaredVariablesAndNameThemEach() throws IOException {
        for (BpmnModelInstance model : models()) {
            for (CallActivity call : model.getModelElementsByType(CallActivity.class)) {
                for (CamundaIn in : call.getExtensionElements()
                        .getElementsQuery()
                        .filterByType(CamundaIn.class)
                        .list()) {
                    assertThat(in.getCamundaVariables())
                            .as(call.getId() + " passes variables one by one")
                            .isNull();
                    if (in.getCamundaBusinessKey() == null)
                        assertThat(ReleaseVariables.isDeclared(in.getCamundaSource()))
                                .as(in.getCamundaSource())
                                .isTrue();
                }
                List<CamundaOut> outs = call.getExtensionElements()
                        .getElementsQuery()
                        .filterByType(CamundaOut.class)
                        .list();
                assertThat(outs).as(call.getId() + " returns its results").isNotEmpty();
                for (CamundaOut out : outs) {
                    assertThat(out.getCamundaVariables())
                            .as(call.getId() + " returns variables one by one")
                            .isNull();
                    assertThat(ReleaseVariables.isDeclared(out.getCamundaSource()))
                            .as(out.getCamundaSource())
                            .isTrue();
                }
            }
        }
    }

    private static final Set<String> EL_WORDS =
            Set.of("true", "false", "null", "empty", "not", "and", "or", "eq", "ne", "lt", "gt", "le", "ge");

    @Test
    void gatewaysReadOnlyDeclaredVariables() throws IOException {
        // the expression language's own words are no variables
        for (BpmnModelInstance model : models()) {
            for (ConditionExpression condition : model.getModelElementsByType(ConditionExpression.class)) {
                String expression =
                        condition.getTextContent().replaceAll("'[^']*'", "").replaceAll("^\\$\\{|}$", "");
                Matcher names = IDENTIFIER.matcher(expression);
                while (names.find()) {
                    if (EL_WORDS.contains(names.group())) continue;
                    assertThat(ReleaseVariables.isDeclared(names.group()))
                            .as(key(model) + ": " + condition.getTextContent())
                            .isTrue();
                }
            }
        }
    }

    @Test
    void everyServiceTaskIsAsynchronousWithADelegateBean() throws IOException {
        for (BpmnModelInstance model : models()) {
            for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
                assertThat(task.isCamundaAsyncBefore())
                        .as(task.getId() + " is asyncBefore")
                        .isTrue();
                assertThat(task.getCamundaDelegateExpression()).as(task.getId()).matches("\\$\\{[a-zA-Z]+Delegate}");
            }
            for (UserTask task : model.getModelElementsByType(UserTask.class)) {
                assertThat(task.getCamundaFormRef())
                        .as(task.getId() + " has a Camunda Form")
                        .isNotBlank();
            }
        }
    }

    /** Variables a form reads ({{name}} in text, =name as a table's data, a list looped over) or writes (a field's key). */
    private static java.util.Set<String> formVariables(Path form) throws IOException {
        com.fasterxml.jackson.databind.JsonNode components = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(form.toFile())
                .path("components");
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (com.fasterxml.jackson.databind.JsonNode c : components) {
            if (c.has("key")) names.add(c.get("key").asText());
            // a table's data or a template may reach into a JSON variable (=deploymentPlan.steps): its root is what
            // must be declared
            if (c.has("dataSource"))
                names.add(c.get("dataSource").asText().replaceFirst("^=", "").replaceFirst("\\..*", ""));
            // a checklist's choices come from a variable too
            if (c.has("valuesKey")) names.add(c.get("valuesKey").asText());
            // a loop reads its list; inside it, names are the items' fields ({{#loop qaThumbnails}} ... {{page}} ...
            // {{/loop}})
            String text = c.path("text").asText();
            Matcher loops = Pattern.compile("\\{\\{#loop ([A-Za-z]+)}}").matcher(text);
            while (loops.find()) names.add(loops.group(1));
            Matcher templates = Pattern.compile("\\{\\{([A-Za-z]+)(?:\\.[A-Za-z.]+)?}}")
                    .matcher(text.replaceAll("(?s)\\{\\{#loop.*?\\{\\{/loop}}", ""));
            while (templates.find()) names.add(templates.group(1));
        }
        return names;
    }

    @Test
    void formsReadAndWriteOnlyDeclaredVariablesAndTheSignoffFormsGetWhatTheyShow() throws IOException {
        BpmnModelInstance release = models().stream()
                .filter(m -> key(m).equals(ReleaseModel.STAGING_RELEASE))
                .findFirst()
                .orElseThrow();
        CallActivity signoff = release.getModelElementById(ReleaseModel.CALL_APPROVAL_AND_SIGNOFF);
        java.util.Set<String> passedIn = new java.util.HashSet<>();
        signoff.getExtensionElements().getElementsQuery().filterByType(CamundaIn.class).list().stream()
                .filter(in -> in.getCamundaSource() != null)
                .forEach(in -> passedIn.add(in.getCamundaTarget()));
        passedIn.addAll(List.of(
                ReleaseVariables.DEVELOPER_DECISION.name(),
                ReleaseVariables.DEVELOPER_COMMENT.name(),
                ReleaseVariables.CLIENT_DECISION.name(),
                ReleaseVariables.CLIENT_COMMENT.name(),
                // decided inside the phase, by Task_DecideApprovals, before the first form opens
                ReleaseVariables.APPROVAL_ROUTE.name(),
                ReleaseVariables.CHANGE_NOTES.name(),
                ReleaseVariables.EXPERIMENT_CHOICES.name(),
                ReleaseVariables.DROPPED_EXPERIMENTS.name()));
        try (Stream<Path> files = Files.list(Path.of("forms"))) {
            for (Path form : files.filter(f -> f.toString().endsWith(".form")).toList()) {
                java.util.Set<String> names = formVariables(form);
                assertThat(names)
                        .as(form + " names only declared variables")
                        .isNotEmpty()
                        .allMatch(ReleaseVariables::isDeclared);
                if (form.getFileName().toString().endsWith("-signoff.form")) {
                    assertThat(passedIn)
                            .as(form + ": what it shows is passed into the sign-off phase")
                            .containsAll(names);
                }
            }
        }
    }
}
