package io.stageguard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house as drawn in {@code docs/architecture.md}: phases import only downwards, the capability
 * packages stay free of the engine, each model has its package, tests and page.
 */
class ArchitectureTest {
    /** Model, its delegates' package under process/, the capability package, the test folder and the docs page: the phase map. */
    record Phase(String model, String process, String capability, String doc) {}

    static final List<Phase> PHASES = List.of(
            new Phase("create-staging-clone", "clone", "clone", "staging-clone.md"),
            new Phase("test-updates", "updates", "update", "updates.md"),
            new Phase("qa-and-debugging", "qa", "qa", "qa.md"),
            new Phase("approval-and-signoff", "signoff", "signoff", "signoff.md"),
            new Phase("push-to-live", "push", "push", "deploy.md"),
            new Phase("rollback", "rollback", "rollback", "rollback.md"),
            new Phase("staging-release", "release", "release", "architecture.md"));

    /**
     * Lowest first: each may use those before it, never those after. A site's definition comes
     * first, then what Stageguard knows of WordPress, then the registry that proves and keeps sites.
     * The backup that makes a rollback possible is taken by the push, so rollback lies below push.
     */
    static final List<String> CAPABILITIES_BY_FLOOR = List.of(
            "io.stageguard.site",
            "io.stageguard.wordpress..",
            "io.stageguard.site.registry..",
            "io.stageguard.clone..",
            "io.stageguard.update..",
            "io.stageguard.qa..",
            "io.stageguard.signoff..",
            "io.stageguard.rollback..",
            "io.stageguard.push..");

    static JavaClasses main;

    @BeforeAll
    static void importMain() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.stageguard");
    }

    @Test
    void phasesImportOnlyDownwards() {
        for (int i = 0; i < CAPABILITIES_BY_FLOOR.size(); i++) {
            for (String above : CAPABILITIES_BY_FLOOR.subList(i + 1, CAPABILITIES_BY_FLOOR.size())) {
                noClasses()
                        .that()
                        .resideInAPackage(CAPABILITIES_BY_FLOOR.get(i))
                        .should()
                        .dependOnClassesThat()
                        .resideInAPackage(above)
                        .because(CAPABILITIES_BY_FLOOR.get(i) + " comes before " + above + " in the SOP")
                        .check(main);
            }
        }
    }

    @Test
    void supportNeedsNothingElseOfStageguard() {
        noClasses()
                .that()
                .resideInAPackage("io.stageguard.support..")
                .should()
                .dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "other Stageguard classes",
                        c -> c.getPackageName().startsWith("io.stageguard")
                                && !c.getPackageName().startsWith("io.stageguard.support")))
                .because("support is the floor everything else stands on")
                .check(main);
    }

    @Test
    void capabilitiesKnowNeitherTheProcessNorTheApi() {
        noClasses()
                .that()
                .resideInAnyPackage(capabilities())
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.stageguard.process..", "io.stageguard.api..")
                .because("a capability is plain Java, testable without the engine; delegates adapt it to the models")
                .check(main);
    }

    /** notify is not a capability of a phase but the engine's messenger: it reads tasks' candidates and sends after commits. */
    @Test
    void capabilitiesUseTheEngineOnlyThroughDecisionTable() {
        noClasses()
                .that()
                .resideInAnyPackage(capabilities())
                .and()
                .resideOutsideOfPackage("io.stageguard.notify..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.camunda..")
                .because("decision tables are the one piece of the engine a capability asks, through DecisionTable")
                .check(main);
    }

    @Test
    void eachModelsDelegatesKnowOnlyTheEngineOfTheProcessPackages() {
        for (Phase phase : PHASES) {
            noClasses()
                    .that()
                    .resideInAPackage("io.stageguard.process." + phase.process() + "..")
                    .should()
                    .dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                            "another model's delegates",
                            c -> c.getPackageName().startsWith("io.stageguard.process.")
                                    && !c.getPackageName().startsWith("io.stageguard.process.engine")
                                    && !c.getPackageName().equals("io.stageguard.process." + phase.process())))
                    .check(main);
        }
    }

    @Test
    void everyModelHasItsDelegatesItsTestsAndItsPage() throws IOException {
        try (Stream<Path> models = Files.list(Path.of("bpmn"))) {
            assertThat(models.map(p -> p.getFileName().toString().replaceFirst("\\.bpmn$", ""))
                            .toList())
                    .as("every model is on the phase map")
                    .containsExactlyInAnyOrderElementsOf(
                            PHASES.stream().map(Phase::model).toList());
        }
        for (Phase phase : PHASES) {
            List<com.tngtech.archunit.core.domain.JavaClass> delegates = main.stream()
                    .filter(c -> c.getPackageName().equals("io.stageguard.process." + phase.process())
                            && c.getSimpleName().endsWith("Delegates"))
                    .toList();
            assertThat(delegates).as(phase.model() + "'s delegates").hasSize(1);
            // a model's delegate expressions are beans of its own class; rollback purges caches with push's, the one
            // step both run
            String model = Files.readString(Path.of("bpmn", phase.model() + ".bpmn"));
            java.util.regex.Matcher expression = java.util.regex.Pattern.compile("delegateExpression=\"\\$\\{(\\w+)}\"")
                    .matcher(model);
            while (expression.find()) {
                String bean = expression.group(1);
                com.tngtech.archunit.core.domain.JavaClass owner =
                        phase.model().equals("rollback") && bean.equals("purgeCachesDelegate")
                                ? main.get("io.stageguard.process.push.PushToLiveDelegates")
                                : delegates.get(0);
                assertThat(owner.getMethods())
                        .as(phase.model() + ": ${" + bean + "} is a bean of " + owner.getSimpleName())
                        .anyMatch(m -> m.getName().equals(bean));
            }
            assertThat(Path.of("src/test/java/io/stageguard", phase.capability()))
                    .as(phase.model() + "'s tests")
                    .isDirectory();
            assertThat(Path.of("docs", phase.doc()))
                    .as(phase.model() + "'s page")
                    .isRegularFile();
        }
    }

    private static String[] capabilities() {
        return Stream.concat(
                        CAPABILITIES_BY_FLOOR.stream(),
                        Stream.of("release", "metrics", "notify", "support").map(p -> "io.stageguard." + p + ".."))
                .toArray(String[]::new);
    }
}
