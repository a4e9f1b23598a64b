package io.stageguard.update;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where new versions of what a site runs come from: the wordpress.org API ({@link WordPressOrgSource}),
 * a folder of vendor zips for premium plugins and themes ({@link VendorFolderSource}). Each says
 * which versions it has for an installed item and hands out a version's package as a local zip,
 * from which its requirements are read ({@link PackageRequirements}).
 */
public interface UpdateSource {
    /** How reports name this source ("wordpress.org", "vendor folder"). */
    String name();

    /**
     * Which of a site's {@code items} this source may carry, asked once per discovery before any
     * item's versions (wordpress.org answers for all plugins in one update check); all by default.
     */
    default List<InstalledItem> carried(List<InstalledItem> items) throws IOException {
        return items;
    }

    /** The versions this source has of {@code item}, any order; empty when it does not carry the item. */
    List<Offer> offers(InstalledItem item) throws IOException;

    /** The offer's package as a local zip file, fetched once. */
    Path download(Offer offer) throws IOException;

    /**
     * What a site runs: core ("wordpress"), or a plugin or theme folder with its header version.
     *
     * @param updateUri where the package says its updates come from ({@code Update URI}); null when it does not say
     * @param file      for a plugin, its main file as WordPress keys it ("akismet/akismet.php"); null otherwise
     */
    record InstalledItem(ChangeType type, String slug, String version, boolean active, String updateUri, String file) {
        public String key() {
            return type.label() + " " + slug;
        }
    }

    /**
     * One version a source offers.
     *
     * @param location where the source fetches it from (a URL, a file)
     */
    record Offer(ChangeType type, String slug, String version, String source, String location) {}
}
