package io.stageguard.site;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What QA needs to know about a site beyond its URLs, kept with the site's definition.
 *
 * @param masks CSS selectors of regions that change on their own (clocks, sliders, ads); hidden on
 *              live and staging alike before screenshots, so they never count as a visual change
 * @param flows user flows to run on staging in every QA round (search, comment, contact, login)
 * @param admin wp-admin screens to check on staging with a QA account; null for none
 */
public record SiteQa(List<String> masks, List<UserFlow> flows, AdminScreens admin) {
    public static final SiteQa NONE = new SiteQa(List.of(), List.of(), null);

    public SiteQa {
        // nulls are kept (not thrown on) so that SiteValidator can name the element that is null
        masks = masks == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(masks));
        flows = flows == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(flows));
    }

    /**
     * Plugin updates often break the admin first. Checked on staging only: logging into live would
     * write a session to live. The account is one that exists on live, so it exists on its clone.
     *
     * @param password stored with the site like its database passwords; never in process variables or answers
     */
    public record AdminScreens(String user, String password, List<String> paths) {
        public AdminScreens {
            paths = paths == null || paths.isEmpty()
                    ? List.of("/wp-admin/", "/wp-admin/plugins.php")
                    : List.copyOf(paths);
        }
    }
}
