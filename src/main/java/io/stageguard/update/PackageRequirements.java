package io.stageguard.update;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one version of a package requires, read from that version's own files: a plugin's main
 * file header ({@code Requires at least}, {@code Requires PHP}, {@code Requires Plugins}), a theme's
 * style.css, core's {@code version.php}. The wordpress.org API states requirements for the latest
 * version only, so choosing an older compatible version needs them from the package itself.
 *
 * @param wordpress the lowest WordPress version it runs on; null when it does not say
 * @param php       the lowest PHP version; null when it does not say
 * @param mysql     for core: the lowest MySQL version
 * @param plugins   slugs of the plugins it needs installed (WordPress 6.5's Requires Plugins)
 */
public record PackageRequirements(String wordpress, String php, String mysql, List<String> plugins) {
    private static final Pattern REQUIRES_WP = header("Requires at least");
    private static final Pattern REQUIRES_PHP = header("Requires PHP");
    private static final Pattern REQUIRES_PLUGINS = header("Requires Plugins");

    private static Pattern header(String name) {
        return Pattern.compile("^[ \\t/*#@]*" + name + ":(.*)$", Pattern.MULTILINE | Pattern.CASE_INSENSITIVE);
    }

    /** Reads the requirements of the package in {@code zip}, a plugin, theme or core release. */
    public static PackageRequirements of(Path zip, ChangeType type, String slug) throws IOException {
        if (type == ChangeType.CORE) {
            CorePackage release = CorePackage.read(zip);
            return new PackageRequirements(null, release.requiredPhp(), release.requiredMysql(), List.of());
        }
        String head = PackageHeader.headerInZip(zip, type, slug);
        String plugins = value(REQUIRES_PLUGINS, head);
        return new PackageRequirements(
                value(REQUIRES_WP, head),
                value(REQUIRES_PHP, head),
                null,
                plugins == null
                        ? List.of()
                        : Arrays.stream(plugins.split(","))
                                .map(String::trim)
                                .filter(s -> !s.isEmpty())
                                .toList());
    }

    /**
     * Why a site that runs {@code wordpressVersion} on {@code phpVersion} with {@code installedPlugins}
     * cannot run this version; empty when it can.
     */
    public List<String> unmetOn(
            String wordpressVersion, String phpVersion, String mysqlVersion, List<String> installedPlugins) {
        List<String> unmet = new ArrayList<>();
        if (wordpress != null && !VersionOrder.atLeast(wordpressVersion, wordpress))
            unmet.add("requires WordPress " + wordpress + ", the site runs " + wordpressVersion);
        if (php != null && !VersionOrder.atLeast(phpVersion, php))
            unmet.add("requires PHP " + php + ", the site runs " + phpVersion);
        if (mysql != null && !VersionOrder.atLeast(mysqlVersion, mysql))
            unmet.add("requires MySQL " + mysql + ", the site's server is " + mysqlVersion);
        for (String plugin : plugins)
            if (!installedPlugins.contains(plugin))
                unmet.add("requires the plugin " + plugin + ", which the site does not have");
        return unmet;
    }

    private static String value(Pattern pattern, String head) {
        Matcher m = pattern.matcher(head);
        if (!m.find()) return null;
        String v = m.group(1).replaceAll("\\*/.*", "").trim();
        return v.isEmpty() ? null : v;
    }
}
