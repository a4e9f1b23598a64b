package io.stageguard.update;

import io.stageguard.clone.ParityItems;
import io.stageguard.clone.ParityReport;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.wordpress.SiteInventoryReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The parity report's {@code wordpress.coreFiles}: the site's core files (everything but
 * {@code wp-content}) against the MD5s wordpress.org publishes for the version it runs, as
 * {@code wp core verify-checksums} does. A modified core file on live is worth knowing before a
 * release builds on it; staging, cloned from live, shows the same. Reads files only.
 */
@Component
public class CoreFilesParity implements ParityItems {
    public static final String ITEM = "wordpress.coreFiles";
    private static final int NAMED = 5;
    private final WordPressOrgSource wordpressOrg;

    public CoreFilesParity(WordPressOrgSource wordpressOrg) {
        this.wordpressOrg = wordpressOrg;
    }

    @Override
    public Map<String, String> read(SiteEnvironment env) throws IOException {
        String version = SiteInventoryReader.wordpressVersion(env.documentRoot());
        Map<String, List<String>> published;
        try {
            published = wordpressOrg.publishedChecksums(ChangeType.CORE, Change.CORE_SLUG, version);
        } catch (IOException e) {
            return Map.of(
                    ITEM, ParityReport.NOT_CHECKED + ": wordpress.org could not be reached (" + e.getMessage() + ")");
        }
        if (published.isEmpty())
            return Map.of(
                    ITEM, ParityReport.NOT_CHECKED + ": wordpress.org publishes no checksums for WordPress " + version);
        List<String> modified = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (var file : published.entrySet()) {
            if (file.getKey().startsWith("wp-content/")) continue;
            checked++;
            Path path = env.documentRoot().resolve(file.getKey());
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) missing.add(file.getKey());
            else if (!file.getValue().contains(IntegrityCheck.digest(path, "MD5"))) modified.add(file.getKey());
        }
        if (modified.isEmpty() && missing.isEmpty())
            return Map.of(ITEM, "all " + checked + " as published for " + version);
        List<String> parts = new ArrayList<>();
        if (!modified.isEmpty()) parts.add(modified.size() + " modified: " + named(modified));
        if (!missing.isEmpty()) parts.add(missing.size() + " missing: " + named(missing));
        return Map.of(ITEM, String.join("; ", parts));
    }

    private static String named(List<String> files) {
        return String.join(", ", files.subList(0, Math.min(NAMED, files.size())))
                + (files.size() > NAMED ? " and " + (files.size() - NAMED) + " more" : "");
    }
}
