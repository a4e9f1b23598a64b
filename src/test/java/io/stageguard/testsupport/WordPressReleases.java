package io.stageguard.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Real WordPress release zips for core-update tests, as wordpress.org ships them (one top folder
 * {@code wordpress/}, no {@code wp-config.php}), built from the npm package
 * {@code @wp-playground/wordpress-builds}: its {@code src/wordpress/wp-6.X.zip} holds the PHP and
 * {@code public/wp-6.X/} the static assets taken out of it. The package (about 160 MB) is fetched
 * once from the npm registry into {@code ~/.cache/stageguard/}, checked against its published
 * SHA-1, and never committed; the zips are built into the test's own folder.
 */
public final class WordPressReleases {
    private static final String PACKAGE = "wordpress-builds-0.9.19.tgz";
    private static final String URL = "https://registry.npmjs.org/@wp-playground/wordpress-builds/-/" + PACKAGE;
    private static final String SHA1 = "806b280d2d501431c0aacc5b95f423e32f20c63b";
    /** The release each tree of the package carries. */
    public static final Map<String, String> RELEASES =
            Map.of("6.2", "6.2.6", "6.3", "6.3.5", "6.4", "6.4.5", "6.5", "6.5.5");
    /** What the playground adds to a release that wordpress.org's zip does not have. */
    private static final java.util.List<String> PLAYGROUND_ONLY = java.util.List.of(
            "wp-config.php", ".default_theme", "wordpress-remote-asset-paths", "wp-content/database/");

    private WordPressReleases() {}

    /** wordpress-{version}.zip for the tree {@code branch} ("6.5"), built into {@code folder}. */
    public static Path zip(String branch, Path folder) throws IOException {
        return zip(branch, folder, "", UnaryOperator.identity());
    }

    /**
     * As {@link #zip(String, Path)}, with {@code wp-includes/version.php} passed through
     * {@code versionPhp} (a release that requires more than the machine has).
     */
    public static Path zip(String branch, Path folder, String nameSuffix, UnaryOperator<String> versionPhp)
            throws IOException {
        Path tree = unpacked(branch);
        Path zip = folder.resolve("wordpress-" + RELEASES.get(branch) + nameSuffix + ".zip");
        Files.createDirectories(folder);
        TreeMap<String, Path> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(tree)) {
            walk.filter(Files::isRegularFile)
                    .forEach(p -> files.put(tree.relativize(p).toString(), p));
        }
        try (OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(file)) {
            for (var entry : files.entrySet()) {
                out.putNextEntry(new ZipEntry("wordpress/" + entry.getKey()));
                if (entry.getKey().equals("wp-includes/version.php")) {
                    out.write(versionPhp
                            .apply(Files.readString(entry.getValue(), StandardCharsets.ISO_8859_1))
                            .getBytes(StandardCharsets.ISO_8859_1));
                } else {
                    Files.copy(entry.getValue(), out);
                }
                out.closeEntry();
            }
        }
        return zip;
    }

    /** The complete tree of {@code branch}, unpacked once per machine beside the cached package. */
    private static synchronized Path unpacked(String branch) throws IOException {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "stageguard");
        Path tree = cache.resolve("wordpress-" + RELEASES.get(branch));
        if (Files.isRegularFile(tree.resolve("wp-includes/version.php"))) return tree;
        Path tgz = downloaded(cache);
        Path work = Files.createTempDirectory(cache, "unpack-");
        run(
                work,
                "tar",
                "xzf",
                tgz.toString(),
                "package/src/wordpress/wp-" + branch + ".zip",
                "package/public/wp-" + branch);
        Path build = work.resolve("tree");
        try (ZipFile php = new ZipFile(
                work.resolve("package/src/wordpress/wp-" + branch + ".zip").toFile())) {
            for (ZipEntry entry : php.stream().toList()) {
                if (entry.isDirectory() || PLAYGROUND_ONLY.stream().anyMatch(entry.getName()::startsWith)) continue;
                Path out = build.resolve(entry.getName()).normalize();
                if (!out.startsWith(build)) throw new IOException("zip entry escapes: " + entry.getName());
                Files.createDirectories(out.getParent());
                try (InputStream in = php.getInputStream(entry)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path assets = work.resolve("package/public/wp-" + branch);
        try (Stream<Path> walk = Files.walk(assets)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String relative = assets.relativize(p).toString();
                if (PLAYGROUND_ONLY.stream().anyMatch(relative::startsWith)) continue;
                Path out = build.resolve(relative);
                Files.createDirectories(out.getParent());
                Files.copy(p, out, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(build, tree, StandardCopyOption.ATOMIC_MOVE);
        run(cache, "rm", "-rf", work.toString());
        return tree;
    }

    private static Path downloaded(Path cache) throws IOException {
        Path tgz = cache.resolve(PACKAGE);
        if (Files.isRegularFile(tgz) && sha1(tgz).equals(SHA1)) return tgz;
        Files.createDirectories(cache);
        Path partial = cache.resolve(PACKAGE + ".partial");
        try {
            HttpResponse<Path> answer = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build()
                    .send(HttpRequest.newBuilder(URI.create(URL)).build(), HttpResponse.BodyHandlers.ofFile(partial));
            if (answer.statusCode() != 200) throw new IOException(URL + " answered " + answer.statusCode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + URL, e);
        }
        if (!sha1(partial).equals(SHA1)) throw new IOException(URL + " does not have the published SHA-1 " + SHA1);
        Files.move(partial, tgz, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return tgz;
    }

    private static String sha1(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(Path dir, String... command) throws IOException {
        try {
            Process p = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .inheritIO()
                    .start();
            if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " exited " + p.exitValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
