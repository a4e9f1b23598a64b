package io.stageguard.access;

import io.stageguard.release.ReleaseRecords;
import io.stageguard.site.Site;
import io.stageguard.site.SiteAccess;
import io.stageguard.site.registry.SiteRegistry;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.identity.Group;
import org.springframework.stereotype.Component;

/**
 * Who may read what. Operators and integrations read everything; anyone else reads a site's
 * definition, releases and reports only when the site names them (or a group of theirs) as a
 * developer or client. Answers are by site, so a client of one site learns nothing of another.
 */
@Component
public class AccessPolicy {
    /** The request attribute that holds the authenticated user's id on Stageguard's API and reports. */
    public static final String USER = "stageguard.user";

    private final IdentityService identity;
    private final SiteRegistry sites;
    private final ReleaseRecords releases;

    public AccessPolicy(IdentityService identity, SiteRegistry sites, ReleaseRecords releases) {
        this.identity = identity;
        this.sites = sites;
        this.releases = releases;
    }

    public boolean mayReadSite(String userId, String siteId) {
        if (seesEverything(userId)) return true;
        return sites.find(siteId).map(site -> hasPart(userId, site)).orElse(false);
    }

    public boolean mayReadRelease(String userId, String releaseId) {
        if (seesEverything(userId)) return true;
        return releases.find(releaseId)
                .map(r -> mayReadSite(userId, r.siteId()))
                .orElse(false);
    }

    /** Operators and integrations, and the developers of the release's site (clients ask them). */
    public boolean mayRollBack(String userId, String releaseId) {
        if (seesEverything(userId)) return true;
        return releases.find(releaseId)
                .flatMap(r -> sites.find(r.siteId()))
                .map(site -> isOneOf(userId, site.access().developers()))
                .orElse(false);
    }

    public boolean seesEverything(String userId) {
        List<String> groups = groupsOf(userId);
        return groups.contains(Groups.CAMUNDA_ADMIN) || groups.contains(IdentitySetup.INTEGRATIONS);
    }

    public boolean hasPart(String userId, Site site) {
        return isOneOf(userId, site.access().developers())
                || isOneOf(userId, site.access().clients());
    }

    public boolean isOneOf(String userId, SiteAccess.Approvers approvers) {
        if (userId == null) return false;
        if (approvers.users().contains(userId)) return true;
        return groupsOf(userId).stream().anyMatch(approvers.groups()::contains);
    }

    private List<String> groupsOf(String userId) {
        if (userId == null) return List.of();
        return identity.createGroupQuery().groupMember(userId).list().stream()
                .map(Group::getId)
                .toList();
    }
}
