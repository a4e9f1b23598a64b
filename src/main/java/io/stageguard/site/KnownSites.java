package io.stageguard.site;

import java.util.List;

/** Every registered site: what a staging target must never collide with. */
@FunctionalInterface
public interface KnownSites {
    List<Site> all();
}
