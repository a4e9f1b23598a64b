package io.stageguard.update;

import io.stageguard.site.SiteEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.springframework.stereotype.Component;

/**
 * After a change is applied to staging: are its files on disk exactly what was published? Every
 * file of the package is compared with its digest in the package itself, and, when the package is
 * one Stageguard fetched from wordpress.org, with the checksums wordpress.org publishes for that
 * version (core's MD5s, a plugin's SHA-256s), as {@code wp core verify-checksums} and
 * {@code wp plugin verify-checksums} do. Files a plugin writes into its own folder later are not
 * the package's and are not judged.
 */
@Component
public class IntegrityCheck {
    private final WordPressOrgSource wordpressOrg;

    public IntegrityCheck(WordPressOrgSource wordpressOrg) {
        this.wordpressOrg = wordpressOrg;
    }

    /** What was verified, and the files that differ (empty when none does). */
    public record Result(String summary, List<String> problems) {}

    public Result verify(SiteEnvironment site, Change change) throws IOException {
        if (change.type().isSetting()) return new Result("a setting: no files to check", List.of());
        Path root = change.type() == ChangeType.CORE
                ? site.documentRoot()
                : site.documentRoot().resolve(change.targetFolder());
        List<String> problems = new ArrayList<>();
        Map<String, String> packaged = packageDigests(change);
        for (var file : packaged.entrySet()) {
            String actual = digest(root.resolve(file.getKey()), "SHA-256");
            if (!file.getValue().equals(actual))
                problems.add(file.getKey() + (actual == null ? " is missing" : " differs from the package"));
        }
        String summary = packaged.size() + " file(s) match the package";
        if (wordpressOrg.fetched(change.packagePath()) && change.type() != ChangeType.THEME) {
            Map<String, List<String>> published =
                    wordpressOrg.publishedChecksums(change.type(), change.slug(), change.version());
            String algorithm = change.type() == ChangeType.CORE ? "MD5" : "SHA-256";
            int checked = 0;
            for (var file : published.entrySet()) {
                // core's list covers bundled themes and plugins too, which the site may have changed or removed on
                // purpose
                if (change.type() == ChangeType.CORE && file.getKey().startsWith("wp-content/")) continue;
                String actual = digest(root.resolve(file.getKey()), algorithm);
                checked++;
                if (actual == null) problems.add(file.getKey() + " is missing (wordpress.org lists it)");
                else if (!file.getValue().contains(actual))
                    problems.add(file.getKey() + " differs from wordpress.org's checksum");
            }
            summary += published.isEmpty()
                    ? "; wordpress.org publishes no checksums for " + change.label()
                    : "; " + checked + " match wordpress.org's published checksums";
        }
        return new Result(problems.isEmpty() ? summary : summary + "; " + problems.size() + " do not", problems);
    }

    /** Each file of the package, relative to its folder (core: the document root, wp-content left out) → SHA-256. */
    private static Map<String, String> packageDigests(Change change) throws IOException {
        Map<String, String> digests = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(change.packageFile().toFile())) {
            String top = change.type() == ChangeType.CORE
                    ? CorePackage.TOP
                    : zip.stream().allMatch(e -> e.getName().startsWith(change.slug() + "/"))
                            ? change.slug() + "/"
                            : "";
            for (ZipEntry entry : zip.stream().toList()) {
                if (entry.isDirectory() || !entry.getName().startsWith(top)) continue;
                String relative = entry.getName().substring(top.length());
                // core: bundled themes and plugins are copied only when new to the site (CoreUpdater), so they are not
                // judged here
                if (relative.isEmpty() || (change.type() == ChangeType.CORE && relative.startsWith("wp-content/")))
                    continue;
                try (InputStream in = zip.getInputStream(entry)) {
                    digests.put(relative, hex(in, "SHA-256"));
                }
            }
        }
        return digests;
    }

    /** The file's digest in hex, null when it is not a regular file. */
    static String digest(Path file, String algorithm) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return null;
        try (InputStream in = Files.newInputStream(file)) {
            return hex(in, algorithm);
        }
    }

    private static String hex(InputStream in, String algorithm) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
