package io.stageguard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stageguard.access.AccessProperties;
import io.stageguard.access.IdentitySetup;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.identity.User;
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
        new IdentitySetup(engine.getIdentityService(), engine.getAuthorizationService(), new AccessProperties(List.of(new AccessProperties.UserDefinition(
                "oscar", "an operator's own passphrase", null, null, null, List.of(Groups.CAMUNDA_ADMIN)))), "127.0.0.1").setUp();
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

    private static IdentitySetup setup(String address, AccessProperties.UserDefinition... users) {
        return new IdentitySetup(engine.getIdentityService(), engine.getAuthorizationService(), new AccessProperties(List.of(users)), address);
    }

    private static AccessProperties.UserDefinition user(String id, String password) {
        return new AccessProperties.UserDefinition(id, password, null, null, null, List.of(IdentitySetup.DEVELOPERS));
    }

    @Test
    void demoPasswordsAreRefusedWhenStageguardAnswersBeyondLoopback() {
        setup("127.0.0.1", user("dana", "dana")).setUp();
        setup("::1", user("dana", "dana")).setUp();
        assertThatThrownBy(() -> setup("0.0.0.0").setUp()).hasMessageContaining("[dana]").hasMessageContaining("0.0.0.0");
        assertThatThrownBy(() -> setup("").setUp()).hasMessageContaining("every network interface");

        IdentityService identity = engine.getIdentityService();
        User dana = identity.createUserQuery().userId("dana").singleResult();
        dana.setPassword("a long and private passphrase");
        identity.saveUser(dana);
        setup("0.0.0.0").setUp();
    }

    /** Without an operator, Camunda Admin's first-user page would be open to whoever reaches the port (review 954a1fc, M7). */
    @Test
    void noStartWithoutAnOperator() {
        ProcessEngine bare = engine("no-operator");
        try {
            IdentitySetup withoutOperator = new IdentitySetup(bare.getIdentityService(), bare.getAuthorizationService(),
                    new AccessProperties(List.of(user("dana", "a passphrase of her own"))), "127.0.0.1");
            assertThatThrownBy(withoutOperator::setUp).hasMessageContaining("there is no operator").hasMessageContaining("camunda.bpm.admin-user");
            assertThat(bare.getIdentityService().createUserQuery().memberOfGroup(Groups.CAMUNDA_ADMIN).count()).as("nothing made one").isZero();
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
