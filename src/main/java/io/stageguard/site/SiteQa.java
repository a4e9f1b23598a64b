package io.stageguard.site;

import java.util.List;

/**
 * What QA needs to know about a site beyond its URLs, kept with the site's definition.
 *
 * @param masks CSS selectors of regions that change on their own (clocks, sliders, ads); hidden on
 *              live and staging alike before screenshots, so they never count as a visual change
 * @param flows user flows to run on staging in every QA round (search, comment, contact, login)
 */
public record SiteQa(List<String> masks, List<UserFlow> flows) {
    public static final SiteQa NONE = new SiteQa(List.of(), List.of());

    public SiteQa {
        masks = masks == null ? List.of() : List.copyOf(masks);
        flows = flows == null ? List.of() : List.copyOf(flows);
    }
}
