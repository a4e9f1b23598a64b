package io.stageguard.update;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The version a plugin or theme folder declares, read as WordPress's {@code get_file_data()} reads
 * it: the first 8 KiB of the plugin's main PHP file (the one with a "Plugin Name:" header) or of
 * the theme's style.css. Reads files only; runs nothing.
 */
public final class PackageHeader {
    private static final Pattern VERSION =
            Pattern.compile("^[ \\t/*#@]*Version:(.*)$", Pattern.MULTILINE | Pattern.CASE_INSENSITIVE);
    private static final Pattern UPDATE_URI =
            Pattern.compile("^[ \\t/*#@]*Update URI:(.*)$", Pattern.MULTILINE | Pattern.CASE_INSENSITIVE);

    private PackageHeader() {}

    /** The version of what {@code change} replaces at {@code documentRoot}: see {@link #version}. */
    public static String installed(Path documentRoot, Change change) throws IOException {
        if (change.type() == ChangeType.CORE)
            return io.stageguard.wordpress.SiteInventoryReader.wordpressVersion(documentRoot);
        return version(documentRoot.resolve(change.targetFolder()), change.type());
    }

    /** The declared version, "none" when the folder is absent, "unknown" when it declares none. */
    public static String version(Path folder, ChangeType type) throws IOException {
        if (type == ChangeType.CORE) throw new IllegalArgumentException("core's version is read by installed()");
        if (!Files.isDirectory(folder)) return "none";
        return versionIn(header(folder, type));
    }

    /**
     * The {@code Update URI} a plugin or theme declares (WordPress 5.8+: where its updates come
     * from; anything but wordpress.org or w.org keeps wordpress.org from offering its own versions
     * of a same-named package); null when it declares none.
     */
    public static String updateUri(Path folder, ChangeType type) throws IOException {
        Matcher m = UPDATE_URI.matcher(header(folder, type));
        if (!m.find()) return null;
        String uri = m.group(1).replaceAll("\\*/.*", "").trim();
        return uri.isEmpty() ? null : uri;
    }

    /** The first 8 KiB of the folder's header file: the plugin file with "Plugin Name:", or style.css; empty when none. */
    private static String header(Path folder, ChangeType type) throws IOException {
        if (type == ChangeType.THEME) return head(folder.resolve("style.css"));
        Path main = pluginFile(folder);
        return main == null ? "" : head(main);
    }

    /** A plugin folder's main file, the PHP file at its top with a "Plugin Name:" header; null when none. */
    public static Path pluginFile(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return null;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.php")) {
            for (Path file : files) {
                if (head(file).contains("Plugin Name:")) return file;
            }
        }
        return null;
    }

    /**
     * The version the package in {@code zip} declares, read from its entries as {@link #version}
     * reads a folder (the zip's one top folder named after the slug, or its top level); "unknown"
     * when it declares none.
     */
    public static String versionInZip(Path zip, ChangeType type, String slug) throws IOException {
        return versionIn(headerInZip(zip, type, slug));
    }

    /** The zip's one top folder ("akismet"), or null when it has none (or is no readable zip). */
    public static String topFolder(Path zip) {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            String top = null;
            for (ZipEntry entry : file.stream().toList()) {
                int slash = entry.getName().indexOf('/');
                if (slash <= 0) return null;
                String first = entry.getName().substring(0, slash);
                if (top != null && !top.equals(first)) return null;
                top = first;
            }
            return top;
        } catch (IOException e) {
            return null;
        }
    }

    /** The first 8 KiB of the package's header file in {@code zip} (main plugin file, style.css); empty when it has none. */
    static String headerInZip(Path zip, ChangeType type, String slug) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            String top = file.stream().allMatch(e -> e.getName().startsWith(slug + "/")) ? slug + "/" : "";
            for (ZipEntry entry : file.stream().toList()) {
                String name = entry.getName();
                if (!name.startsWith(top) || entry.isDirectory()) continue;
                String inside = name.substring(top.length());
                boolean header = type == ChangeType.THEME
                        ? inside.equals("style.css")
                        : !inside.contains("/") && inside.endsWith(".php");
                if (!header) continue;
                try (InputStream in = file.getInputStream(entry)) {
                    String head = new String(in.readNBytes(8192), StandardCharsets.UTF_8).replace("\r", "\n");
                    if (type == ChangeType.THEME || head.contains("Plugin Name:")) return head;
                }
            }
        }
        return "";
    }

    private static String versionIn(String head) {
        Matcher m = VERSION.matcher(head);
        return m.find() ? m.group(1).replaceAll("\\*/.*", "").trim() : "unknown";
    }

    private static String head(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return "";
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(8192), StandardCharsets.UTF_8).replace("\r", "\n");
        }
    }
}
