package io.stageguard.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stageguard.clone.FileTreeCopier;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.support.WritePoints;
import io.stageguard.wordpress.SiteInventoryReader;
import io.stageguard.wordpress.WordPressPhp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Updates WordPress core the way {@code update_core()} does, on staging in phase 2 and from the
 * frozen package on live in phase 5: the new version's PHP and MySQL requirements are checked
 * first and a downgrade is refused unless asked for; {@code .maintenance} is written; everything
 * but {@code wp-content} is put in place, {@code wp-admin} and the root files first and
 * {@code wp-includes} (with {@code version.php}) last, so a failed update still reports the old
 * version; bundled themes and plugins that arrived after the installed version are added where the
 * site has no such folder; core files the old version had and the new one does not are removed
 * (the role of {@code $_old_files}, found by comparing the two trees); {@code .maintenance} goes;
 * then the database upgrade runs through the site's PHP ({@code wp_upgrade()}, as
 * {@code wp core update-db} does).
 *
 * <p>Unlike {@code update_core()}, which copies file by file over the running site, every folder
 * and file is unpacked completely beside it first and swapped in by rename ({@link FolderSwap}):
 * the maintenance window lasts as long as the renames, not the copy.
 */
@Component
public class CoreUpdater {
    /** Files at the top of a WordPress tree that belong to core; wp-config.php is the site's own. */
    private static final Pattern CORE_ROOT_FILE =
            Pattern.compile("wp-(?!config\\.php$)[a-z-]+\\.php|index\\.php|xmlrpc\\.php|license\\.txt|readme\\.html");

    static final String MAINTENANCE = ".maintenance";
    private static final String BESIDE = ".stageguard-next-core";
    private static final String UPGRADE_DATABASE = """
            require ABSPATH_DIR . '/wp-load.php';
            require_once ABSPATH . 'wp-admin/includes/upgrade.php';
            global $wp_db_version;
            $before = get_option( 'db_version' );
            wp_upgrade();
            wp_cache_delete( 'db_version', 'options' );
            echo json_encode( array( 'before' => (string) $before, 'after' => (string) get_option( 'db_version' ), 'target' => (string) $wp_db_version ) );
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WordPressPhp php;

    public CoreUpdater(WordPressPhp php) {
        this.php = php;
    }

    /** What a core update did, for the record and the reports. */
    public record CoreUpdate(
            String from,
            String to,
            String dbVersionBefore,
            String dbVersionAfter,
            List<String> removed,
            List<String> added) {
        public String summary() {
            return "WordPress " + from + " → " + to + ", db_version " + dbVersionBefore + " → " + dbVersionAfter
                    + (added.isEmpty() ? "" : ", added " + String.join(", ", added))
                    + (removed.isEmpty()
                            ? ""
                            : ", removed " + removed.size() + " file(s) the new version no longer has");
        }
    }

    /**
     * Why this core change cannot be applied to {@code site}, empty when it can: the package is not
     * the version asked for, is older than the installed version (without {@code allowDowngrade}),
     * or requires a newer PHP or MySQL than the site runs. Reads the site, writes nothing.
     */
    public List<String> problems(SiteEnvironment site, Change change) throws IOException {
        return problems(site, change, CorePackage.read(change.packageFile()));
    }

    private List<String> problems(SiteEnvironment site, Change change, CorePackage release) throws IOException {
        List<String> problems = new ArrayList<>();
        if (change.version() != null
                && !change.version().isBlank()
                && !change.version().equals(release.version())) {
            problems.add("the package is WordPress " + release.version() + ", not " + change.version());
        }
        String installed = SiteInventoryReader.wordpressVersion(site.documentRoot());
        if (VersionOrder.compare(release.version(), installed) < 0 && !change.allowDowngrade()) {
            problems.add("WordPress " + release.version() + " is older than the installed " + installed
                    + "; a downgrade needs \"allowDowngrade\": true");
        }
        String phpVersion = php.run(site, "echo PHP_VERSION;").strip();
        if (!VersionOrder.atLeast(phpVersion, release.requiredPhp())) {
            problems.add("WordPress " + release.version() + " requires PHP " + release.requiredPhp()
                    + "; the site runs " + phpVersion);
        }
        String mysql = databaseVersion(site);
        // as WordPress does: a db.php drop-in (another database layer) takes the MySQL check on itself
        if (!VersionOrder.atLeast(mysql, release.requiredMysql())
                && !Files.exists(site.wpContent().resolve("db.php"))) {
            problems.add("WordPress " + release.version() + " requires MySQL " + release.requiredMysql()
                    + "; the site's database server is " + mysql);
        }
        return problems;
    }

    /**
     * Everything a core update to {@code release} can change on the site at {@code documentRoot},
     * relative to it: what the backup must hold and the drift check must compare.
     */
    public static List<String> footprint(Path documentRoot, CorePackage release) throws IOException {
        TreeSet<String> paths = new TreeSet<>(CorePackage.CORE_FOLDERS);
        paths.add(MAINTENANCE);
        paths.addAll(release.rootFiles());
        paths.addAll(coreRootFiles(documentRoot));
        for (String bundled : bundledToAdd(documentRoot, release)) paths.add("wp-content/" + bundled);
        return List.copyOf(paths);
    }

    /** What runs right after the new core is swapped in, before anything slower (the serving PHP made to drop the old code). */
    @FunctionalInterface
    public interface AfterSwap {
        void run() throws IOException;

        AfterSwap NOTHING = () -> {};
    }

    /** Updates core at {@code site} to the release in {@code change}'s package. */
    public CoreUpdate update(SiteEnvironment site, Change change) throws IOException {
        return update(site, change, AfterSwap.NOTHING);
    }

    /**
     * As {@link #update(SiteEnvironment, Change)}, running {@code afterSwap} as soon as the new
     * files are in place, before the old ones are removed and the database upgraded: with OPcache
     * not revalidating, the serving PHP would otherwise mix old compiled files with new ones, and
     * fail, for as long as those take.
     */
    public CoreUpdate update(SiteEnvironment site, Change change, AfterSwap afterSwap) throws IOException {
        CorePackage release = CorePackage.read(change.packageFile());
        List<String> problems = problems(site, change, release);
        if (!problems.isEmpty())
            throw new IOException(
                    "WordPress core cannot be updated to " + change.version() + ": " + String.join("; ", problems));
        Path root = site.documentRoot();
        String from = SiteInventoryReader.wordpressVersion(root);
        Path next = root.resolve(BESIDE);
        recoverInterruptedSwaps(root, next);
        FileTreeCopier.deleteTree(next);
        PackageInstaller.unpack(change.packageFile(), Change.CORE_SLUG, next);
        List<String> added = bundledToAdd(root, release);
        List<String> removed = new ArrayList<>();
        Path maintenance = root.resolve(MAINTENANCE);
        Files.writeString(
                maintenance,
                "<?php $upgrading = " + System.currentTimeMillis() / 1000 + "; ?>",
                StandardCharsets.UTF_8);
        try {
            FolderSwap.swap(next.resolve("wp-admin"), root.resolve("wp-admin"));
            for (String file : release.rootFiles()) FolderSwap.swap(next.resolve(file), root.resolve(file));
            for (String bundled : added) {
                Path target = root.resolve("wp-content").resolve(bundled);
                Files.createDirectories(target.getParent());
                Files.move(next.resolve("wp-content").resolve(bundled), target, StandardCopyOption.ATOMIC_MOVE);
            }
            // version.php last: an update stopped before this point still reports the old version
            FolderSwap.swap(next.resolve("wp-includes"), root.resolve("wp-includes"));
            WritePoints.reached(WritePoints.INSTALL_AFTER_SWAP, root.resolve("wp-includes"));
            // only what WordPress itself removes (its $_old_files, as the release now in place lists them): a site's
            // own
            // wp-config-local.php or wp-salt.php looks like core by its name and is not
            Set<String> dropped = oldRootFiles(root.resolve("wp-admin/includes/update-core.php"));
            for (String file : coreRootFiles(root)) {
                if (!release.rootFiles().contains(file) && dropped.contains(file)) {
                    Files.delete(root.resolve(file));
                    removed.add(file);
                }
            }
            // what the swaps moved beside are the old folders and files: gone here, kept in the pre-deploy backup on
            // live
            for (String folder : CorePackage.CORE_FOLDERS)
                removed.addAll(onlyIn(next.resolve(folder), root.resolve(folder), folder));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(maintenance);
            FileTreeCopier.deleteTree(next);
            throw e;
        }
        JsonNode database;
        try {
            Files.deleteIfExists(maintenance);
            afterSwap.run();
            database = JSON.readTree(php.run(site, UPGRADE_DATABASE));
        } finally {
            FileTreeCopier.deleteTree(next);
        }
        String after = database.path("after").asText();
        if (!after.equals(database.path("target").asText())) {
            throw new IOException("the database upgrade left db_version at " + after + ", WordPress "
                    + release.version() + " needs " + database.path("target").asText());
        }
        return new CoreUpdate(
                from,
                release.version(),
                database.path("before").asText(),
                after,
                List.copyOf(removed),
                added.stream().map(a -> "wp-content/" + a).toList());
    }

    /** The files at the top of the tree that WordPress's {@code update_core()} removes: those of its {@code $_old_files} without a folder. */
    static Set<String> oldRootFiles(Path updateCore) throws IOException {
        String php = Files.readString(updateCore, StandardCharsets.UTF_8);
        int start = php.indexOf("$_old_files = array(");
        if (start < 0)
            throw new IOException("the new release's " + updateCore.getFileName() + " has no $_old_files list");
        Matcher entry = Pattern.compile("'([^']*)'").matcher(php.substring(start, php.indexOf(");", start)));
        Set<String> files = new java.util.HashSet<>();
        while (entry.find()) {
            if (!entry.group(1).contains("/")) files.add(entry.group(1));
        }
        return files;
    }

    /** The core files at the top of the tree at {@code root}, by name. */
    private static List<String> coreRootFiles(Path root) throws IOException {
        List<String> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (CORE_ROOT_FILE.matcher(name).matches() && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS))
                    files.add(name);
            }
        }
        return files;
    }

    /**
     * Bundled themes and plugins this release ships that arrived after the installed version and
     * that the site has no folder for, as {@code update_core()} chooses them ("themes/twentytwentyfour").
     */
    private static List<String> bundledToAdd(Path root, CorePackage release) throws IOException {
        String installed = SiteInventoryReader.wordpressVersion(root);
        List<String> add = new ArrayList<>();
        for (String bundled : release.shippedBundled()) {
            boolean arrivedSince = VersionOrder.compare(release.newBundled().get(bundled), installed) > 0;
            if (arrivedSince && !Files.exists(root.resolve("wp-content").resolve(bundled), LinkOption.NOFOLLOW_LINKS))
                add.add(bundled);
        }
        return add;
    }

    /** Files under {@code old} that {@code now} lacks, relative to the document root: the old version's files the new one dropped. */
    private static List<String> onlyIn(Path old, Path now, String prefix) throws IOException {
        if (!Files.isDirectory(old)) return List.of();
        List<String> gone = new ArrayList<>();
        try (var files = Files.walk(old)) {
            for (Path f : files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .toList()) {
                Path relative = old.relativize(f);
                if (!Files.exists(now.resolve(relative), LinkOption.NOFOLLOW_LINKS)) gone.add(prefix + "/" + relative);
            }
        }
        return gone;
    }

    /** A two-step swap stopped between its renames left a core folder aside: put it back before anything else. */
    private static void recoverInterruptedSwaps(Path root, Path next) throws IOException {
        for (String folder : CorePackage.CORE_FOLDERS) {
            Path aside = next.resolve(folder + ".previous");
            if (!Files.exists(root.resolve(folder), LinkOption.NOFOLLOW_LINKS)
                    && Files.isDirectory(aside, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(aside, root.resolve(folder), StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    static String databaseVersion(SiteEnvironment site) throws IOException {
        try (Connection c = site.database().open();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT VERSION()")) {
            rs.next();
            // as wpdb::db_version() reads it: "10.11.6-MariaDB-0+deb12u1" is 10.11.6
            return rs.getString(1).replaceFirst("[^0-9.].*$", "");
        } catch (SQLException e) {
            throw new IOException("cannot read the database server's version: " + e.getMessage(), e);
        }
    }
}
