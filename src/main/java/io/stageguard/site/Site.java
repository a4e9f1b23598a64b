package io.stageguard.site;

/**
 * A live WordPress site, the staging twin Stageguard releases it through, how QA treats it, and
 * who has a part in it.
 */
public record Site(String id, SiteEnvironment live, SiteEnvironment staging, SiteQa qa, SiteAccess access) {

    public Site(String id, SiteEnvironment live, SiteEnvironment staging) {
        this(id, live, staging, SiteQa.NONE, SiteAccess.GLOBAL_GROUPS);
    }

    public Site {
        if (qa == null) qa = SiteQa.NONE;
        if (access == null) access = SiteAccess.GLOBAL_GROUPS;
    }
}
