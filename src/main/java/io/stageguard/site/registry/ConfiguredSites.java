package io.stageguard.site.registry;

import io.stageguard.site.Site;
import java.util.Map;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Registers the sites given in configuration at start-up, refusing any that do not validate. */
@Component
class ConfiguredSites {
    private final SitesProperties properties;
    private final SiteRegistration registration;

    ConfiguredSites(SitesProperties properties, SiteRegistration registration) {
        this.properties = properties;
        this.registration = registration;
    }

    @EventListener(ApplicationReadyEvent.class)
    void register() {
        properties.sites().forEach((id, def) -> {
            Site site = new Site(
                    id, def.live(), def.staging(), def.qa(), def.access(), def.caches(), def.tags(), def.webhook());
            Map<String, String> problems = registration.register(site);
            if (!problems.isEmpty()) {
                throw new IllegalStateException("configured site " + id + " is invalid: " + problems);
            }
        });
    }
}
