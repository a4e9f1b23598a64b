package io.stageguard.site.registry;

import io.stageguard.site.SiteAccess;
import io.stageguard.site.SiteCaches;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.site.SiteQa;
import io.stageguard.site.SiteWebhook;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Sites known from configuration ({@code stageguard.sites.<id>.live...}); registered at start-up. */
@ConfigurationProperties("stageguard")
public record SitesProperties(Map<String, SiteDefinition> sites) {
    public SitesProperties {
        if (sites == null) sites = Map.of();
    }

    public record SiteDefinition(
            SiteEnvironment live,
            SiteEnvironment staging,
            SiteQa qa,
            SiteAccess access,
            SiteCaches caches,
            java.util.List<String> tags,
            SiteWebhook webhook) {}
}
