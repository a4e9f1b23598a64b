package io.stageguard.update;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What a wordpress.org release zip holds, read without running any of it: the version and
 * database version from {@code wp-includes/version.php}, what it requires of PHP and MySQL, the
 * files at the top of the tree, and {@code $_new_bundled_files} from
 * {@code wp-admin/includes/update-core.php} (the themes and plugins an update adds only to sites
 * updating from before they were bundled).
 *
 * @param rootFiles files directly in {@code wordpress/} (index.php, wp-login.php, ...)
 * @param newBundled bundled folder under wp-content ("themes/twentytwentyfour") → the version that first shipped it
 */
public record CorePackage(
        Path zip,
        String version,
        String dbVersion,
        String requiredPhp,
        String requiredMysql,
        List<String> rootFiles,
        Map<String, String> newBundled) {
    /** A release zip's one top folder. */
    static final String TOP = "wordpress/";
    /** The folders a core update replaces as a whole. */
    static final List<String> CORE_FOLDERS = List.of("wp-admin", "wp-includes");

    private static final Pattern VERSION = Pattern.compile("\\$wp_version\\s*=\\s*'([^']+)'");
    private static final Pattern DB_VERSION = Pattern.compile("\\$wp_db_version\\s*=\\s*(\\d+)");
    private static final Pattern REQUIRED_PHP = Pattern.compile("\\$required_php_version\\s*=\\s*'([^']+)'");
    private static final Pattern REQUIRED_MYSQL = Pattern.compile("\\$required_mysql_version\\s*=\\s*'([^']+)'");
    private static final Pattern BUNDLED_LIST =
            Pattern.compile("\\$_new_bundled_files\\s*=\\s*array\\((.*?)\\);", Pattern.DOTALL);
    private static final Pattern BUNDLED_ITEM =
            Pattern.compile("'((?:themes|plugins)/[a-z0-9._-]+)/'\\s*=>\\s*'([0-9.]+)'");

    /** A zip that is not a WordPress release, with the reason. */
    public static class NotACoreRelease extends IOException {
        NotACoreRelease(String message) {
            super(message);
        }
    }

    public static CorePackage read(Path zip) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            String limits = ZipLimits.problem(file);
            if (limits != null) throw new NotACoreRelease(limits);
            TreeSet<String> rootFiles = new TreeSet<>();
            TreeSet<String> topFolders = new TreeSet<>();
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (!name.startsWith(TOP)) {
                    throw new NotACoreRelease(
                            "is not a wordpress.org release: entry " + name + " is outside the top folder " + TOP);
                }
                String inside = name.substring(TOP.length());
                if (inside.isEmpty()) continue;
                int slash = inside.indexOf('/');
                if (slash < 0 && !entry.isDirectory()) rootFiles.add(inside);
                else topFolders.add(slash < 0 ? inside : inside.substring(0, slash));
            }
            if (rootFiles.contains("wp-config.php")) {
                throw new NotACoreRelease(
                        "holds a wp-config.php: a release zip never does, and a site's configuration is never replaced");
            }
            for (String folder : topFolders) {
                if (!CORE_FOLDERS.contains(folder) && !folder.equals("wp-content")) {
                    throw new NotACoreRelease("holds a folder " + TOP + folder + " that no WordPress release has");
                }
            }
            String versionPhp = text(file, TOP + "wp-includes/version.php");
            if (versionPhp == null) throw new NotACoreRelease("has no " + TOP + "wp-includes/version.php");
            if (text(file, TOP + "wp-admin/includes/upgrade.php") == null)
                throw new NotACoreRelease("has no " + TOP + "wp-admin/includes/upgrade.php");
            String updateCore = text(file, TOP + "wp-admin/includes/update-core.php");
            Map<String, String> bundled = new LinkedHashMap<>();
            Matcher list = BUNDLED_LIST.matcher(updateCore == null ? "" : updateCore);
            if (list.find()) {
                Matcher item = BUNDLED_ITEM.matcher(list.group(1));
                while (item.find()) bundled.put(item.group(1), item.group(2));
            }
            return new CorePackage(
                    zip,
                    find(VERSION, versionPhp, "$wp_version"),
                    find(DB_VERSION, versionPhp, "$wp_db_version"),
                    find(REQUIRED_PHP, versionPhp, "$required_php_version"),
                    find(REQUIRED_MYSQL, versionPhp, "$required_mysql_version"),
                    List.copyOf(rootFiles),
                    bundled);
        } catch (java.util.zip.ZipException e) {
            throw new NotACoreRelease("is not a readable zip file");
        }
    }

    /** The bundled themes and plugins this release ships inside its zip ("themes/twentytwentyfour"). */
    public List<String> shippedBundled() throws IOException {
        List<String> shipped = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (String path : newBundled.keySet()) {
                if (file.getEntry(TOP + "wp-content/" + path + "/") != null
                        || file.stream().anyMatch(e -> e.getName().startsWith(TOP + "wp-content/" + path + "/"))) {
                    shipped.add(path);
                }
            }
        }
        return shipped;
    }

    private static String find(Pattern pattern, String text, String what) throws NotACoreRelease {
        Matcher m = pattern.matcher(text);
        if (!m.find()) throw new NotACoreRelease("declares no " + what + " in wp-includes/version.php");
        return m.group(1);
    }

    private static String text(ZipFile file, String name) throws IOException {
        ZipEntry entry = file.getEntry(name);
        if (entry == null) return null;
        try (InputStream in = file.getInputStream(entry)) {
            return new String(in.readNBytes(4 << 20), StandardCharsets.ISO_8859_1);
        }
    }
}
