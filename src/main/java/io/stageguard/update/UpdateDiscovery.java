package io.stageguard.update;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.stageguard.site.Site;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.wordpress.SiteInventoryReader;
import io.stageguard.wordpress.WordPressPhp;
import io.stageguard.wordpress.WordPressTables;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Finds the updates a site needs: reads what live runs (core, every plugin and theme folder with
 * its header version, active or not; files and one option only, nothing of WordPress is loaded),
 * asks the sources for newer versions, and walks them newest first, reading each version's
 * requirements from its own package, until one fits the site's WordPress, PHP, MySQL and
 * plugins: the newest version that is really compatible, within the largest step allowed.
 */
@Component
public class UpdateDiscovery {
    private static final Pattern ACTIVE_PLUGIN = Pattern.compile("s:\\d+:\"([^\"]+\\.php)\"");
    private final List<UpdateSource> sources;
    private final WordPressPhp php;
    private final UpdateProperties properties;

    public UpdateDiscovery(List<UpdateSource> sources, WordPressPhp php, UpdateProperties properties) {
        this.sources = sources;
        this.php = php;
        this.properties = properties;
    }

    /** What the site runs, as the sources are asked about it. */
    public record SiteRuns(String wordpress, String php, String mysql, List<UpdateSource.InstalledItem> items) {
        List<String> pluginSlugs() {
            return items.stream()
                    .filter(i -> i.type() == ChangeType.PLUGIN)
                    .map(UpdateSource.InstalledItem::slug)
                    .toList();
        }
    }

    /**
     * One item and what can replace it.
     *
     * @param available        every newer version the source has, newest first
     * @param newestCompatible the newest of them within the allowed step whose own requirements the site meets; null when none
     * @param step             installed → newestCompatible (patch, minor, major, unknown)
     * @param heldBack         why each newer version that was checked is not chosen ("2.0.0: requires PHP 99.0, ...")
     * @param packagePath      the chosen version's package on this machine
     */
    public record AvailableUpdate(
            ChangeType type,
            String slug,
            String installed,
            boolean active,
            String source,
            List<String> available,
            String newestCompatible,
            VersionStep step,
            List<String> heldBack,
            @JsonIgnore String packagePath) {
        public Change change() {
            return new Change(type, slug, newestCompatible, packagePath);
        }
    }

    /** The site's items that have newer versions at a source, each with its choice within {@code max} (patch, minor or major). */
    public List<AvailableUpdate> discover(Site site, VersionStep max) throws IOException {
        SiteRuns runs = read(site.live());
        List<AvailableUpdate> updates = new ArrayList<>();
        java.util.Map<UpdateSource, List<UpdateSource.InstalledItem>> carried = new java.util.HashMap<>();
        for (UpdateSource source : sources) carried.put(source, source.carried(runs.items()));
        for (UpdateSource.InstalledItem item : runs.items()) {
            for (UpdateSource source : sources) {
                if (!carried.get(source).contains(item)) continue;
                List<UpdateSource.Offer> newer = source.offers(item).stream()
                        .filter(o -> VersionOrder.compare(o.version(), item.version()) > 0)
                        .sorted(Comparator.comparing(UpdateSource.Offer::version, VersionOrder::compare)
                                .reversed())
                        .toList();
                if (newer.isEmpty()) continue;
                updates.add(choose(runs, item, source, newer, max));
                break;
            }
        }
        return updates;
    }

    private AvailableUpdate choose(
            SiteRuns runs,
            UpdateSource.InstalledItem item,
            UpdateSource source,
            List<UpdateSource.Offer> newer,
            VersionStep max)
            throws IOException {
        List<String> heldBack = new ArrayList<>();
        int checked = 0;
        for (UpdateSource.Offer offer : newer) {
            VersionStep step = VersionStep.between(item.version(), offer.version());
            if (!withinStep(step, max)) {
                heldBack.add(offer.version() + ": a " + step.label() + " step, more than the " + max.label()
                        + " steps asked for");
                continue;
            }
            if (checked++ >= properties.versionsChecked()) {
                heldBack.add(offer.version() + " and older: not checked (stageguard.updates.versions-checked is "
                        + properties.versionsChecked() + ")");
                break;
            }
            Path zip = source.download(offer);
            String declared = item.type() == ChangeType.CORE
                    ? CorePackage.read(zip).version()
                    : PackageHeader.versionInZip(zip, item.type(), item.slug());
            if (!declared.equals(offer.version())) {
                heldBack.add(offer.version() + ": the package declares version " + declared);
                continue;
            }
            List<String> unmet = PackageRequirements.of(zip, item.type(), item.slug())
                    .unmetOn(runs.wordpress(), runs.php(), runs.mysql(), runs.pluginSlugs());
            if (unmet.isEmpty()) {
                return new AvailableUpdate(
                        item.type(),
                        item.slug(),
                        item.version(),
                        item.active(),
                        source.name(),
                        versions(newer),
                        offer.version(),
                        step,
                        heldBack,
                        zip.toString());
            }
            heldBack.add(offer.version() + ": " + String.join(", ", unmet));
        }
        return new AvailableUpdate(
                item.type(),
                item.slug(),
                item.version(),
                item.active(),
                source.name(),
                versions(newer),
                null,
                null,
                heldBack,
                null);
    }

    /** Steps of unknown size (versions that are not semver) count as major. */
    static boolean withinStep(VersionStep step, VersionStep max) {
        int size = switch (step) {
            case PATCH, SAME -> 1;
            case MINOR -> 2;
            default -> 3;
        };
        int allowed = switch (max) {
            case PATCH -> 1;
            case MINOR -> 2;
            default -> 3;
        };
        return size <= allowed;
    }

    private static List<String> versions(List<UpdateSource.Offer> offers) {
        return offers.stream().map(UpdateSource.Offer::version).toList();
    }

    /** Core, the plugin folders and the themes of the site at {@code env}, with its WordPress, PHP and MySQL versions. */
    public SiteRuns read(SiteEnvironment env) throws IOException {
        String wordpress = SiteInventoryReader.wordpressVersion(env.documentRoot());
        List<String> active = activePlugins(env);
        List<UpdateSource.InstalledItem> items = new ArrayList<>(List.of(
                new UpdateSource.InstalledItem(ChangeType.CORE, Change.CORE_SLUG, wordpress, true, null, null)));
        for (Path folder : folders(env.wpContent().resolve("plugins"))) {
            String version = PackageHeader.version(folder, ChangeType.PLUGIN);
            String slug = folder.getFileName().toString();
            Path main = PackageHeader.pluginFile(folder);
            if (!version.equals("unknown"))
                items.add(new UpdateSource.InstalledItem(
                        ChangeType.PLUGIN,
                        slug,
                        version,
                        active.stream().anyMatch(a -> a.startsWith(slug + "/")),
                        PackageHeader.updateUri(folder, ChangeType.PLUGIN),
                        main == null ? null : slug + "/" + main.getFileName()));
        }
        String stylesheet = option(env, "stylesheet");
        for (Path folder : folders(env.wpContent().resolve("themes"))) {
            String version = PackageHeader.version(folder, ChangeType.THEME);
            String slug = folder.getFileName().toString();
            if (!version.equals("unknown"))
                items.add(new UpdateSource.InstalledItem(
                        ChangeType.THEME,
                        slug,
                        version,
                        slug.equals(stylesheet),
                        PackageHeader.updateUri(folder, ChangeType.THEME),
                        null));
        }
        return new SiteRuns(
                wordpress, php.run(env, "echo PHP_VERSION;").strip(), CoreUpdater.databaseVersion(env), items);
    }

    private static List<Path> folders(Path parent) throws IOException {
        List<Path> folders = new ArrayList<>();
        if (!Files.isDirectory(parent)) return folders;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, Files::isDirectory)) {
            entries.forEach(folders::add);
        }
        folders.sort(Comparator.comparing(Path::toString));
        return folders;
    }

    private static List<String> activePlugins(SiteEnvironment env) throws IOException {
        String value = option(env, "active_plugins");
        List<String> active = new ArrayList<>();
        if (value == null) return active;
        Matcher m = ACTIVE_PLUGIN.matcher(value);
        while (m.find()) active.add(m.group(1));
        return active;
    }

    private static String option(SiteEnvironment env, String name) throws IOException {
        try (Connection c = env.database().open()) {
            c.setReadOnly(true);
            try (PreparedStatement ps = c.prepareStatement("SELECT option_value FROM "
                    + WordPressTables.quote(env.database().tablePrefix() + "options") + " WHERE option_name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        } catch (SQLException e) {
            throw new IOException("cannot read the site's option " + name + ": " + e.getMessage(), e);
        }
    }
}
