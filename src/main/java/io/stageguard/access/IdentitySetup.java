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
    public static final String DEVELOPERS = "developers";
    public static final String CLIENTS = "clients";
    public static final String INTEGRATIONS = "integrations";

    private final IdentityService identity;
    private final AuthorizationService authorizations;
    private final AccessProperties properties;
    private final String serverAddress;

    public IdentitySetup(IdentityService identity, AuthorizationService authorizations, AccessProperties properties,
                         @Value("${server.address:}") String serverAddress) {
        this.identity = identity;
        this.authorizations = authorizations;
        this.properties = properties;
        this.serverAddress = serverAddress;
    }

    @EventListener(ApplicationStartedEvent.class)
    public void setUp() {
        Map.of(DEVELOPERS, "Developers", CLIENTS, "Clients", INTEGRATIONS, "Integrations (systems that start releases over REST)")
                .forEach(this::group);
        for (String approvers : new String[] {DEVELOPERS, CLIENTS}) {
            grant(approvers, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
            grant(approvers, Resources.FILTER, "*", Permissions.READ);
        }
        for (AccessProperties.UserDefinition u : properties.users()) {
            user(u);
        }
        refuseToRunWithoutAnOperator();
        refuseKnownPasswordsOffLoopback();
    }

    /**
     * Without any member of {@code camunda-admin}, Camunda Admin offers its first-user page to
     * whoever reaches the port; the user made there could deploy a process with a script task and
     * run code in Stageguard (review 954a1fc, M7).
     */
    void refuseToRunWithoutAnOperator() {
        if (identity.createUserQuery().memberOfGroup(Groups.CAMUNDA_ADMIN).count() == 0) {
            throw new IllegalStateException("Refusing to start: there is no operator (no user in the group camunda-admin), and Camunda Admin "
                    + "would let anyone who reaches this port create the first one. Configure one: camunda.bpm.admin-user (id, password), "
                    + "or a user with groups: [camunda-admin] in stageguard.access.users.");
        }
    }

    private void refuseKnownPasswordsOffLoopback() {
        if (isLoopback(serverAddress)) return;
        List<String> known = identity.createUserQuery().list().stream().map(User::getId).filter(id -> identity.checkPassword(id, id)).toList();
        if (!known.isEmpty()) {
            throw new IllegalStateException("Refusing to start: users " + known + " have their user name as password (the demo logins) and "
                    + "Stageguard would answer on " + (serverAddress.isBlank() ? "every network interface" : serverAddress)
                    + ". Change their passwords in Camunda Admin, or set server.address=127.0.0.1.");
        }
    }

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
            if (identity.createUserQuery().userId(def.id()).memberOfGroup(groupId).count() == 0) {
                identity.createMembership(def.id(), groupId);
            }
        }
    }

    private void grant(String groupId, Resource resource, String resourceId, Permission permission) {
        boolean exists = authorizations.createAuthorizationQuery().groupIdIn(groupId).resourceType(resource)
                .resourceId(resourceId).hasPermission(permission).count() > 0;
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
