package io.stageguard.site.registry;

import io.stageguard.site.Site;
import java.util.List;

/** Every registered site: what a staging target must never collide with. */
@FunctionalInterface
public interface KnownSites {
    List<Site> all();
}
