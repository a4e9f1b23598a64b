package io.stageguard.update;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version a plugin or theme folder declares, read as WordPress's {@code get_file_data()} reads
 * it: the first 8 KiB of the plugin's main PHP file (the one with a "Plugin Name:" header) or of
 * the theme's style.css. Reads files only; runs nothing.
 */
public final class PackageHeader {
    private static final Pattern VERSION = Pattern.compile("^[ \\t/*#@]*Version:(.*)$", Pattern.MULTILINE | Pattern.CASE_INSENSITIVE);

    private PackageHeader() {
    }

    /** The declared version, "none" when the folder is absent, "unknown" when it declares none. */
    public static String version(Path folder, ChangeType type) throws IOException {
        if (!Files.isDirectory(folder)) return "none";
        if (type == ChangeType.THEME) return versionIn(head(folder.resolve("style.css")));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.php")) {
            for (Path file : files) {
                String head = head(file);
                if (head.contains("Plugin Name:")) return versionIn(head);
            }
        }
        return "unknown";
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
