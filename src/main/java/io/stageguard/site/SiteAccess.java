package io.stageguard.site;

import java.util.List;

/**
 * Who has a part in a site: its developers (revise, developer sign-off) and its clients (client
 * sign-off), each as users and groups. Only they (and operators and integrations) see its tasks,
 * its definition, its releases and its reports. Without a definition, the global groups
 * {@code developers} and {@code clients} stand in.
 *
 * @param fourEyes the user who started or last revised a release may not give its developer sign-off
 */
public record SiteAccess(Approvers developers, Approvers clients, Boolean fourEyes) {
    public static final SiteAccess GLOBAL_GROUPS = new SiteAccess(null, null, null);

    public SiteAccess {
        if (developers == null) developers = new Approvers(null, List.of("developers"));
        if (clients == null) clients = new Approvers(null, List.of("clients"));
        if (fourEyes == null) fourEyes = true;
    }

    public record Approvers(List<String> users, List<String> groups) {
        public Approvers {
            users = users == null ? List.of() : List.copyOf(users);
            groups = groups == null ? List.of() : List.copyOf(groups);
        }
    }
}
