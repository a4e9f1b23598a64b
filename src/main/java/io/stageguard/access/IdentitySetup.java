package io.stageguard.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Creates the configured users and groups and the least authorizations each group needs.
 * Approvers get Tasklist and the task filter; what tasks they see comes from the candidate
 * group on each user task, which the engine turns into a per-task authorization: so a client
 * sees client sign-off tasks and nothing else. Runs at every start and only adds what is missing:
 * a password is set when a user is created, so one changed in Camunda Admin survives a restart.
 *
 * <p>Then it refuses to go on if any user's password is their user name (the demo logins are such)
 * while Stageguard answers on anything but loopback.
 */
@Component
public class IdentitySetup {
    private static final Logger LOG = LoggerFactory.getLogger(IdentitySetup.class);
    public static final String DEVELOPERS = "developers";
    public static final String CLIENTS = "clients";
    public static final String INTEGRATIONS = "integrations";

    private final IdentityService identity;
    private final AuthorizationService authorizations;
    private final AccessProperties properties;
    private final String serverAddress;

    public IdentitySetup(
            IdentityService identity,
            AuthorizationService authorizations,
            AccessProperties properties,
            @Value("${server.address:}") String serverAddress) {
        this.identity = identity;
        this.authorizations = authorizations;
        this.properties = properties;
        this.serverAddress = serverAddress;
    }

    @EventListener(ApplicationStartedEvent.class)
    public void setUp() {
        Map.of(
                        DEVELOPERS,
                        "Developers",
                        CLIENTS,
                        "Clients",
                        INTEGRATIONS,
                        "Integrations (systems that start releases over REST)")
                .forEach(this::group);
        for (String approvers : new String[] {DEVELOPERS, CLIENTS}) {
            grant(approvers, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
            grant(approvers, Resources.FILTER, "*", Permissions.READ);
        }
        for (AccessProperties.UserDefinition u : properties.users()) {
            user(u);
        }
        removeUsersNoLongerConfigured();
        refuseToRunWithoutAnOperator();
        refuseKnownPasswordsOffLoopback();
    }

    /** A user's info: made from Stageguard's configuration. */
    static final String CONFIGURED = "stageguard.configured";
    /** A user's info: the groups the configuration gave them at the last start. */
    static final String CONFIGURED_GROUPS = "stageguard.configuredGroups";

    /**
     * A user taken out of the configuration would otherwise keep their login and their sites for
     * ever (review 954a1fc, L2): users the configuration made and no longer lists are removed.
     * Users made in Camunda Admin, and the engine's own admin user, are not the configuration's and
     * stay.
     */
    private void removeUsersNoLongerConfigured() {
        java.util.Set<String> configured = new java.util.HashSet<>(properties.users().stream()
                .map(AccessProperties.UserDefinition::id)
                .toList());
        for (User user : identity.createUserQuery().list()) {
            if ("true".equals(identity.getUserInfo(user.getId(), CONFIGURED)) && !configured.contains(user.getId())) {
                identity.deleteUser(user.getId());
                LOG.warn(
                        "Removed user {}: Stageguard's configuration made them and no longer lists them", user.getId());
            }
        }
    }

    /**
     * Without any member of {@code camunda-admin}, Camunda Admin offers its first-user page to
     * whoever reaches the port; the user made there could deploy a process with a script task and
     * run code in Stageguard (review 954a1fc, M7).
     */
    void refuseToRunWithoutAnOperator() {
        if (identity.createUserQuery().memberOfGroup(Groups.CAMUNDA_ADMIN).count() == 0) {
            throw new IllegalStateException(
                    "Refusing to start: there is no operator (no user in the group camunda-admin), and Camunda Admin "
                            + "would let anyone who reaches this port create the first one. Configure one: camunda.bpm.admin-user (id, password), "
                            + "or a user with groups: [camunda-admin] in stageguard.access.users.");
        }
    }

    private void refuseKnownPasswordsOffLoopback() {
        if (isLoopback(serverAddress)) return;
        List<String> known = identity.createUserQuery().list().stream()
                .map(User::getId)
                .filter(id -> logsInWith(id, id))
                .toList();
        // a configured password still in use that is short enough to guess (the configuration's value is only the first
        // one)
        List<String> weak = properties.users().stream()
                .filter(u -> u.password() != null
                        && u.password().length() < MIN_PASSWORD_LENGTH
                        && logsInWith(u.id(), u.password()))
                .map(AccessProperties.UserDefinition::id)
                .toList();
        if (!weak.isEmpty()) {
            throw new IllegalStateException("Refusing to start: users " + weak
                    + " log in with a configured password shorter than " + MIN_PASSWORD_LENGTH
                    + " characters and Stageguard would answer on "
                    + (serverAddress.isBlank() ? "every network interface" : serverAddress)
                    + ". Change their passwords in Camunda Admin, or set server.address=127.0.0.1.");
        }
        if (!known.isEmpty()) {
            throw new IllegalStateException(
                    "Refusing to start: users " + known + " have their user name as password (the demo logins) and "
                            + "Stageguard would answer on "
                            + (serverAddress.isBlank() ? "every network interface" : serverAddress)
                            + ". Change their passwords in Camunda Admin, or set server.address=127.0.0.1.");
        }
    }

    /**
     * Whether the user logs in with this password. A failed check counts as a failed login, after
     * which the engine answers no to every check for a while: this probe is not a login, so the count
     * is reset, or the next probe (or the user's own login) would be refused.
     */
    private boolean logsInWith(String userId, String password) {
        boolean yes = identity.checkPassword(userId, password);
        if (!yes) identity.unlockUser(userId);
        return yes;
    }

    /** Beyond loopback, a configured password in use must have at least this many characters. */
    static final int MIN_PASSWORD_LENGTH = 12;

    static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) return false;
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private void group(String id, String name) {
        if (identity.createGroupQuery().groupId(id).count() == 0) {
            Group g = identity.newGroup(id);
            g.setName(name);
            g.setType(Groups.GROUP_TYPE_WORKFLOW);
            identity.saveGroup(g);
        }
    }

    private void user(AccessProperties.UserDefinition def) {
        if (identity.createUserQuery().userId(def.id()).count() == 0) {
            User user = identity.newUser(def.id());
            user.setFirstName(def.firstName() == null ? def.id() : def.firstName());
            user.setLastName(def.lastName() == null ? "" : def.lastName());
            user.setEmail(def.email());
            user.setPassword(def.password());
            identity.saveUser(user);
        }
        for (String groupId : def.groups()) {
            if (Groups.CAMUNDA_ADMIN.equals(groupId)) group(groupId, "Operators");
            if (identity.createUserQuery()
                            .userId(def.id())
                            .memberOfGroup(groupId)
                            .count()
                    == 0) {
                identity.createMembership(def.id(), groupId);
            }
        }
        // a group the configuration gave at an earlier start and no longer does is taken away; one an operator gave in
        // Admin stays
        String before = identity.getUserInfo(def.id(), CONFIGURED_GROUPS);
        for (String groupId : before == null || before.isBlank() ? List.<String>of() : List.of(before.split(","))) {
            if (!def.groups().contains(groupId)) {
                identity.deleteMembership(def.id(), groupId);
                LOG.warn(
                        "Took user {} out of group {}: Stageguard's configuration no longer puts them there",
                        def.id(),
                        groupId);
            }
        }
        identity.setUserInfo(def.id(), CONFIGURED, "true");
        identity.setUserInfo(def.id(), CONFIGURED_GROUPS, String.join(",", def.groups()));
    }

    private void grant(String groupId, Resource resource, String resourceId, Permission permission) {
        boolean exists = authorizations
                        .createAuthorizationQuery()
                        .groupIdIn(groupId)
                        .resourceType(resource)
                        .resourceId(resourceId)
                        .hasPermission(permission)
                        .count()
                > 0;
        if (!exists) {
            Authorization a = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
            a.setGroupId(groupId);
            a.setResource(resource);
            a.setResourceId(resourceId);
            a.addPermission(permission);
            authorizations.saveAuthorization(a);
        }
    }
}
