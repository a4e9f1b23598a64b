package io.stageguard.site;

/** A live WordPress site, the staging twin Stageguard releases it through, and how QA treats it. */
public record Site(String id, SiteEnvironment live, SiteEnvironment staging, SiteQa qa) {

    public Site(String id, SiteEnvironment live, SiteEnvironment staging) {
        this(id, live, staging, SiteQa.NONE);
    }

    public Site {
        if (qa == null) qa = SiteQa.NONE;
    }
}
