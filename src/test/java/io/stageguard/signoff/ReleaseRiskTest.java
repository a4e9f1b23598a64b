package io.stageguard.signoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.update.ChangeSetApplier.AppliedChange;
import io.stageguard.update.ChangeType;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every rule of dmn/release-risk.dmn, through the inputs a change set as applied gives it. */
class ReleaseRiskTest {
    private static ReleaseRisk risk;

    @BeforeAll
    static void table() throws Exception {
        risk = ReleaseRisk.fromModel();
    }

    private static AppliedChange applied(ChangeType type, String slug, String from, String to, String packagePath) {
        return new AppliedChange(
                0,
                type,
                slug,
                from,
                to,
                packagePath,
                "0".repeat(64),
                "swapped in atomically",
                false,
                null,
                null,
                "2 file(s) match the package",
                List.of());
    }

    private static ReleaseRisk.Route route(List<AppliedChange> changes, int experiments, List<String> tags) {
        return risk.decide(ReleaseRisk.inputs(changes, path -> path.startsWith("/org/"), experiments, tags));
    }

    private static final AppliedChange ORG_PATCH =
            applied(ChangeType.PLUGIN, "akismet", "5.3.1", "5.3.2", "/org/akismet.5.3.2.zip");

    @Test
    void patchUpdatesFromWordPressOrgAreTheDevelopersAlone() {
        assertThat(route(
                        List.of(ORG_PATCH, applied(ChangeType.THEME, "twentytwentyfour", "1.1", "1.1.1", "/org/t.zip")),
                        0,
                        List.of()))
                .isEqualTo(new ReleaseRisk.Route(false, List.of("patch updates from wordpress.org only")));
    }

    @Test
    void aPatchFromElsewhereOrAMinorStepFallsToTheDefaultAndTheClientSignsToo() {
        assertThat(route(
                        List.of(applied(ChangeType.PLUGIN, "premium", "2.0.0", "2.0.1", "/vendor/premium.zip")),
                        0,
                        List.of()))
                .isEqualTo(new ReleaseRisk.Route(true, List.of("no rule lets the developer approve alone")));
        assertThat(route(List.of(applied(ChangeType.PLUGIN, "akismet", "5.2.0", "5.3.0", "/org/a.zip")), 0, List.of())
                        .clientSignoffNeeded())
                .isTrue();
    }

    @Test
    void eachRuleThatAsksForTheClientIsNamed() {
        assertThat(route(
                                List.of(applied(
                                        ChangeType.CORE, "wordpress", "6.1.9", "6.1.10", "/org/wordpress-6.1.10.zip")),
                                0,
                                List.of())
                        .reasons())
                .containsExactly("updates WordPress core");
        assertThat(route(List.of(applied(ChangeType.PLUGIN, "akismet", "4.2.0", "5.0.0", "/org/a.zip")), 0, List.of())
                        .reasons())
                .containsExactly("a major step, a downgrade or a version that is not semver");
        assertThat(route(List.of(applied(ChangeType.PLUGIN, "akismet", "5.3", "5.3-beta2", "/org/a.zip")), 0, List.of())
                        .reasons())
                .containsExactly("a major step, a downgrade or a version that is not semver");
        assertThat(route(List.of(applied(ChangeType.PLUGIN, "sg-helper", "none", "1.0.0", "/org/h.zip")), 0, List.of())
                        .reasons())
                .containsExactly("adds a plugin or theme the site does not have");
        assertThat(route(List.of(ORG_PATCH), 1, List.of()).reasons()).containsExactly("carries feature experiments");
        assertThat(route(java.util.Collections.nCopies(11, ORG_PATCH), 0, List.of())
                        .reasons())
                .containsExactly("more than 10 changes at once");
        assertThat(route(List.of(ORG_PATCH), 0, List.of("ecommerce", "client-approves-all"))
                        .reasons())
                .containsExactly("the site is tagged client-approves-all");
    }

    @Test
    void everyReasonForTheClientIsListedAndNoneForTheDeveloperAlone() {
        ReleaseRisk.Route route = route(
                List.of(
                        applied(ChangeType.CORE, "wordpress", "6.1.9", "6.5.5", "/org/wp.zip"),
                        applied(ChangeType.PLUGIN, "sg-helper", "none", "1.0.0", "/org/h.zip"),
                        ORG_PATCH),
                0,
                List.of());
        assertThat(route.clientSignoffNeeded()).isTrue();
        assertThat(route.summary())
                .isEqualTo(
                        "Developer and client approve: updates WordPress core; adds a plugin or theme the site does not have");
    }
}
