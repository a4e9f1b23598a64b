package io.stageguard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stageguard.access.AccessProperties;
import io.stageguard.access.IdentitySetup;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Logins are Stageguard's front door: the demo ones (user name as password) are refused as soon as
 * Stageguard would answer beyond this machine, and a password an operator changed stays changed.
 * On a real engine (in memory), with the identity setup Stageguard runs at every start.
 */
class CredentialsTest {
    static ProcessEngine engine;

    @BeforeAll
    static void engine() {
        engine = engine("credentials");
        // every start needs an operator (see below)
        setup("127.0.0.1").setUp();
    }

    private static ProcessEngine engine(String name) {
        StandaloneInMemProcessEngineConfiguration configuration = new StandaloneInMemProcessEngineConfiguration();
        configuration.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=1000");
        configuration.setProcessEngineName(name);
        return configuration.buildProcessEngine();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    /** A start with this configuration: the operator and {@code users}. */
    private static IdentitySetup setup(String address, AccessProperties.UserDefinition... users) {
        List<AccessProperties.UserDefinition> all = new java.util.ArrayList<>(List.of(OPERATOR));
        all.addAll(List.of(users));
        return new IdentitySetup(
                engine.getIdentityService(), engine.getAuthorizationService(), new AccessProperties(all), address);
    }

    private static final AccessProperties.UserDefinition OPERATOR = new AccessProperties.UserDefinition(
            "oscar", "an operator's own passphrase", null, null, null, List.of(Groups.CAMUNDA_ADMIN));

    private static AccessProperties.UserDefinition user(String id, String password) {
        return new AccessProperties.UserDefinition(id, password, null, null, null, List.of(IdentitySetup.DEVELOPERS));
    }

    @Test
    void demoPasswordsAreRefusedWhenStageguardAnswersBeyondLoopback() {
        setup("127.0.0.1", user("dana", "dana")).setUp();
        setup("::1", user("dana", "dana")).setUp();
        assertThatThrownBy(() -> setup("0.0.0.0", user("dana", "dana")).setUp())
                .hasMessageContaining("[dana]")
                .hasMessageContaining("0.0.0.0");
        assertThatThrownBy(() -> setup("", user("dana", "dana")).setUp())
                .hasMessageContaining("every network interface");

        IdentityService identity = engine.getIdentityService();
        User dana = identity.createUserQuery().userId("dana").singleResult();
        dana.setPassword("a long and private passphrase");
        identity.saveUser(dana);
        setup("0.0.0.0", user("dana", "dana")).setUp();
    }

    /** Review 954a1fc, L2: a password short enough to guess is refused beyond loopback as the demo ones are. */
    @Test
    void aShortConfiguredPasswordIsRefusedBeyondLoopback() {
        setup("127.0.0.1", user("wes", "short-pw")).setUp();
        assertThat(engine.getIdentityService().checkPassword("wes", "short-pw"))
                .as("wes logs in with it")
                .isTrue();
        assertThatThrownBy(() -> setup("0.0.0.0", user("wes", "short-pw")).setUp())
                .hasMessageContaining("[wes]")
                .hasMessageContaining("shorter than 12");
        setup("127.0.0.1").setUp();
    }

    /**
     * Review 954a1fc, L2: a user taken out of the configuration loses the login, and a group taken
     * out of a user's list is left; what an operator gave in Camunda Admin (a user, a membership)
     * is the operator's and stays.
     */
    @Test
    void whatTheConfigurationNoLongerListsIsTakenAway() {
        AccessProperties.UserDefinition carlInBoth = new AccessProperties.UserDefinition(
                "carl",
                "carl's long passphrase",
                null,
                null,
                null,
                List.of(IdentitySetup.DEVELOPERS, IdentitySetup.CLIENTS));
        setup("127.0.0.1", carlInBoth).setUp();
        IdentityService identity = engine.getIdentityService();
        identity.createMembership("carl", IdentitySetup.INTEGRATIONS); // given in Admin
        User adam = identity.newUser("adam");
        adam.setPassword("made in Camunda Admin");
        identity.saveUser(adam);

        setup("127.0.0.1", user("carl", "carl's long passphrase")).setUp();
        assertThat(identity.createGroupQuery().groupMember("carl").list())
                .extracting(g -> g.getId())
                .containsExactlyInAnyOrder(IdentitySetup.DEVELOPERS, IdentitySetup.INTEGRATIONS);

        setup("127.0.0.1").setUp();
        assertThat(identity.createUserQuery().userId("carl").count())
                .as("carl left the configuration")
                .isZero();
        assertThat(identity.createUserQuery().userId("adam").count())
                .as("adam is the operator's")
                .isOne();
        assertThat(identity.createUserQuery().userId("oscar").count()).isOne();
    }

    /** Without an operator, Camunda Admin's first-user page would be open to whoever reaches the port (review 954a1fc, M7). */
    @Test
    void noStartWithoutAnOperator() {
        ProcessEngine bare = engine("no-operator");
        try {
            IdentitySetup withoutOperator = new IdentitySetup(
                    bare.getIdentityService(),
                    bare.getAuthorizationService(),
                    new AccessProperties(List.of(user("dana", "a passphrase of her own"))),
                    "127.0.0.1");
            assertThatThrownBy(withoutOperator::setUp)
                    .hasMessageContaining("there is no operator")
                    .hasMessageContaining("camunda.bpm.admin-user");
            assertThat(bare.getIdentityService()
                            .createUserQuery()
                            .memberOfGroup(Groups.CAMUNDA_ADMIN)
                            .count())
                    .as("nothing made one")
                    .isZero();
        } finally {
            bare.close();
        }
    }

    @Test
    void aPasswordChangedInAdminSurvivesARestart() {
        setup("127.0.0.1", user("olga", "first-password-1")).setUp();
        IdentityService identity = engine.getIdentityService();
        User olga = identity.createUserQuery().userId("olga").singleResult();
        olga.setPassword("changed-in-admin-2");
        identity.saveUser(olga);

        setup("127.0.0.1", user("olga", "first-password-1")).setUp();
        assertThat(identity.checkPassword("olga", "changed-in-admin-2")).isTrue();
        assertThat(identity.checkPassword("olga", "first-password-1")).isFalse();
    }
}
