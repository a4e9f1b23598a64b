package io.stageguard.site;

import java.util.List;

/**
 * A live WordPress site, the staging twin Stageguard releases it through, how QA treats it, who
 * has a part in it, the caches in front of it, its tags (which the {@code release-risk} decision
 * reads: "client-approves-all") and an optional webhook told of its releases.
 */
public record Site(
        String id,
        SiteEnvironment live,
        SiteEnvironment staging,
        SiteQa qa,
        SiteAccess access,
        SiteCaches caches,
        List<String> tags,
        SiteWebhook webhook) {

    public Site(String id, SiteEnvironment live, SiteEnvironment staging) {
        this(id, live, staging, SiteQa.NONE, SiteAccess.GLOBAL_GROUPS, SiteCaches.NONE);
    }

    public Site(String id, SiteEnvironment live, SiteEnvironment staging, SiteQa qa, SiteAccess access) {
        this(id, live, staging, qa, access, SiteCaches.NONE);
    }

    public Site(
            String id, SiteEnvironment live, SiteEnvironment staging, SiteQa qa, SiteAccess access, SiteCaches caches) {
        this(id, live, staging, qa, access, caches, List.of());
    }

    public Site(
            String id,
            SiteEnvironment live,
            SiteEnvironment staging,
            SiteQa qa,
            SiteAccess access,
            SiteCaches caches,
            List<String> tags) {
        this(id, live, staging, qa, access, caches, tags, null);
    }

    public Site {
        // nulls are kept (not thrown on) so that SiteValidator can name the element that is null
        tags = tags == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(tags));
        if (qa == null) qa = SiteQa.NONE;
        if (access == null) access = SiteAccess.GLOBAL_GROUPS;
        if (caches == null) caches = SiteCaches.NONE;
    }
}
