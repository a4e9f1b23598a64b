package io.stageguard.site;

/** A live WordPress site and the staging twin Stageguard releases it through. */
public record Site(String id, SiteEnvironment live, SiteEnvironment staging) {
}
