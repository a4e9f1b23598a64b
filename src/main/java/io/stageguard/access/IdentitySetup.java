package io.stageguard.access;

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
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Creates the configured users and groups and the least authorizations each group needs.
 * Approvers get Tasklist and the task filter; what tasks they see comes from the candidate
 * group on each user task, which the engine turns into a per-task authorization: so a client
 * sees client sign-off tasks and nothing else. Runs at every start and only adds what is missing.
 */
@Component
public class IdentitySetup {
    public static final String DEVELOPERS = "developers";
    public static final String CLIENTS = "clients";
    public static final String INTEGRATIONS = "integrations";

    private final IdentityService identity;
    private final AuthorizationService authorizations;
    private final AccessProperties properties;

    public IdentitySetup(IdentityService identity, AuthorizationService authorizations, AccessProperties properties) {
        this.identity = identity;
        this.authorizations = authorizations;
        this.properties = properties;
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
        User user = identity.createUserQuery().userId(def.id()).singleResult();
        if (user == null) {
            user = identity.newUser(def.id());
        }
        user.setFirstName(def.firstName() == null ? def.id() : def.firstName());
        user.setLastName(def.lastName() == null ? "" : def.lastName());
        user.setEmail(def.email());
        user.setPassword(def.password());
        identity.saveUser(user);
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
