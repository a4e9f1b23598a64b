package io.stageguard.site;

/**
 * A live WordPress site, the staging twin Stageguard releases it through, how QA treats it, who
 * has a part in it, and the caches in front of it.
 */
public record Site(String id, SiteEnvironment live, SiteEnvironment staging, SiteQa qa, SiteAccess access, SiteCaches caches) {

    public Site(String id, SiteEnvironment live, SiteEnvironment staging) {
        this(id, live, staging, SiteQa.NONE, SiteAccess.GLOBAL_GROUPS, SiteCaches.NONE);
    }

    public Site(String id, SiteEnvironment live, SiteEnvironment staging, SiteQa qa, SiteAccess access) {
        this(id, live, staging, qa, access, SiteCaches.NONE);
    }

    public Site {
        if (qa == null) qa = SiteQa.NONE;
        if (access == null) access = SiteAccess.GLOBAL_GROUPS;
        if (caches == null) caches = SiteCaches.NONE;
    }
}
