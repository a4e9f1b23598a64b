package io.stageguard.clone;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param exclude           paths relative to the document root that are never copied to staging: caches
 *                          and backups are large, stale, and not part of what a release changes
 * @param sanitize          rules that replace personal data in staging; the defaults cover WordPress core
 * @param extraSanitize     rules added to those, typically for plugin tables (shop customers, form entries)
 * @param stagingCron       let WordPress cron run on staging; off by default, because scheduled jobs send
 *                          mail, call payment and CRM APIs, and post to social networks
 * @param allowOutgoingHttp let staging's WordPress call hosts other than itself; off by default for the same reason
 * @param symlinks          what a clone does with a link in live's files that points outside live's document root:
 *                          {@code refuse-leaving} (the default) stops the clone and names the links, because staging
 *                          writing through one would write into live's (or a shared) folder; {@code copy-leaving}
 *                          copies what the link points at into staging instead
 */
@ConfigurationProperties("stageguard.clone")
public record CloneProperties(
        List<String> exclude,
        List<SanitizeRule> sanitize,
        List<SanitizeRule> extraSanitize,
        boolean stagingCron,
        boolean allowOutgoingHttp,
        FileTreeCopier.Links symlinks) {
    public CloneProperties {
        if (symlinks == null) symlinks = FileTreeCopier.Links.REFUSE_LEAVING;
        if (symlinks == FileTreeCopier.Links.KEEP) {
            throw new IllegalArgumentException(
                    "stageguard.clone.symlinks: 'keep' would let staging write into live; use refuse-leaving or copy-leaving");
        }
        if (exclude == null) {
            exclude = List.of(
                    ".git",
                    "wp-content/cache",
                    "wp-content/upgrade",
                    "wp-content/backups",
                    "wp-content/backup-db",
                    "wp-content/updraft",
                    "wp-content/ai1wm-backups",
                    "wp-content/uploads/backwpup",
                    "wp-content/debug.log");
        }
        if (sanitize == null) sanitize = SanitizeRule.DEFAULTS;
        if (extraSanitize == null) extraSanitize = List.of();
    }

    public List<SanitizeRule> sanitizeRules() {
        List<SanitizeRule> all = new ArrayList<>(sanitize);
        all.addAll(extraSanitize);
        return all;
    }
}
