package io.stageguard.site;

import java.time.Duration;
import java.util.List;

/**
 * Who has a part in a site: its developers (revise, developer sign-off) and its clients (client
 * sign-off), each as users and groups. Only they (and operators and integrations) see its tasks,
 * its definition, its releases and its reports. Without a definition, the global groups
 * {@code developers} and {@code clients} stand in.
 *
 * @param fourEyes the user who started or last revised a release may not give its developer sign-off
 * @param signoff  how long sign-offs may wait before they are reminded, escalated and expire
 */
public record SiteAccess(Approvers developers, Approvers clients, Boolean fourEyes, SignoffTimes signoff) {
    public static final SiteAccess GLOBAL_GROUPS = new SiteAccess(null, null, null);

    public SiteAccess(Approvers developers, Approvers clients, Boolean fourEyes) {
        this(developers, clients, fourEyes, null);
    }

    public SiteAccess {
        if (developers == null) developers = new Approvers(null, List.of("developers"));
        if (clients == null) clients = new Approvers(null, List.of("clients"));
        if (fourEyes == null) fourEyes = true;
        if (signoff == null) signoff = SignoffTimes.DEFAULT;
    }

    /**
     * A sign-off task's clock, from its creation: due after {@code due}; the people who can act are
     * reminded after {@code reminder}; after {@code escalation} the operators may act too and are
     * told; after {@code expiry} the release ends as expired.
     */
    public record SignoffTimes(Duration due, Duration reminder, Duration escalation, Duration expiry) {
        public static final SignoffTimes DEFAULT = new SignoffTimes(null, null, null, null);

        public SignoffTimes {
            if (due == null) due = Duration.ofDays(1);
            if (reminder == null) reminder = Duration.ofHours(4);
            if (escalation == null) escalation = Duration.ofHours(24);
            if (expiry == null) expiry = Duration.ofDays(3);
        }
    }

    public record Approvers(List<String> users, List<String> groups) {
        public Approvers {
            users = users == null ? List.of() : List.copyOf(users);
            groups = groups == null ? List.of() : List.copyOf(groups);
        }
    }
}
