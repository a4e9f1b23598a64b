package io.stageguard.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * api.wordpress.org and downloads.wordpress.org on 127.0.0.1, answering in their real response
 * shapes (field names as WordPress core and WP-CLI read them): {@code core/version-check/1.7}
 * offers, {@code plugins/info/1.2} and {@code themes/info/1.2} with {@code versions}, "not found"
 * for unknown slugs, and the download links those answers give. Packages are the tests' own zips.
 */
public final class WordPressOrgStandIn implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final Map<String, Map<String, Path>> plugins = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Path>> themes = new ConcurrentHashMap<>();
    private final Map<String, Path> coreReleases = new ConcurrentHashMap<>();
    private final Map<String, Path> files = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** Core checksums published for a version without its package: version → path → MD5. */
    private final Map<String, Map<String, String>> coreChecksums = new ConcurrentHashMap<>();
    /** Published checksums that differ from the package's: "slug version path" → SHA-256, as a mirror serving a tampered build would show. */
    private final Map<String, String> publishedOverrides = new ConcurrentHashMap<>();

    private WordPressOrgStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/core/version-check/1.7/", this::versionCheck);
        server.createContext("/plugins/update-check/1.1/", this::pluginUpdateCheck);
        server.createContext("/plugins/info/1.2/", e -> info(e, plugins, "plugin"));
        server.createContext("/themes/info/1.2/", e -> info(e, themes, "theme"));
        server.createContext("/core/checksums/1.0/", this::coreChecksums);
        server.createContext("/downloads/plugin-checksums/", this::pluginChecksums);
        server.createContext("/downloads/", this::download);
        server.start();
    }

    public static WordPressOrgStandIn start() throws IOException {
        return new WordPressOrgStandIn();
    }

    /** The API's base URL; downloads are under {@code /downloads} on the same host. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String downloadsUrl() {
        return url() + "/downloads";
    }

    /** Every request as received: method and path with query. */
    public List<String> requests() {
        return requests;
    }

    public WordPressOrgStandIn plugin(String slug, String version, Path zip) {
        plugins.computeIfAbsent(slug, s -> new LinkedHashMap<>()).put(version, zip);
        files.put("/downloads/plugin/" + slug + "." + version + ".zip", zip);
        return this;
    }

    public WordPressOrgStandIn theme(String slug, String version, Path zip) {
        themes.computeIfAbsent(slug, s -> new LinkedHashMap<>()).put(version, zip);
        files.put("/downloads/theme/" + slug + "." + version + ".zip", zip);
        return this;
    }

    public WordPressOrgStandIn core(String version, Path zip) {
        coreReleases.put(version, zip);
        files.put("/downloads/release/wordpress-" + version + ".zip", zip);
        return this;
    }

    /** From now on wordpress.org publishes {@code sha256} for {@code path} of the plugin's version, whatever its package holds. */
    public WordPressOrgStandIn publishChecksum(String slug, String version, String path, String sha256) {
        publishedOverrides.put(slug + " " + version + " " + path, sha256);
        return this;
    }

    /** Publishes core checksums for {@code version} from the core files of {@code tree} (everything but wp-content and the site's own files). */
    public WordPressOrgStandIn coreChecksums(String version, Path tree) throws IOException {
        Map<String, String> md5 = new java.util.TreeMap<>();
        try (var files = Files.walk(tree)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String relative = tree.relativize(f).toString();
                if (relative.startsWith("wp-content/") || relative.equals("wp-config.php") || relative.startsWith("."))
                    continue;
                try {
                    md5.put(
                            relative,
                            java.util.HexFormat.of()
                                    .formatHex(java.security.MessageDigest.getInstance("MD5")
                                            .digest(Files.readAllBytes(f))));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        coreChecksums.put(version, md5);
        return this;
    }

    private void coreChecksums(HttpExchange exchange) throws IOException {
        record(exchange);
        String version = query(exchange).getOrDefault("version", "");
        if (coreChecksums.containsKey(version)) {
            answer(exchange, 200, Map.of("checksums", coreChecksums.get(version)));
            return;
        }
        Path zip = coreReleases.get(version);
        if (zip == null) {
            answer(exchange, 200, Map.of("checksums", false));
            return;
        }
        Map<String, String> md5 = new java.util.TreeMap<>();
        digests(zip, "wordpress/", "MD5").forEach(md5::put);
        answer(exchange, 200, Map.of("checksums", md5));
    }

    private void pluginChecksums(HttpExchange exchange) throws IOException {
        record(exchange);
        // /downloads/plugin-checksums/{slug}/{version}.json
        String[] parts = exchange.getRequestURI().getPath().split("/");
        String slug = parts[3];
        String version = parts[4].replaceFirst("\\.json$", "");
        Path zip = plugins.getOrDefault(slug, Map.of()).get(version);
        if (zip == null) {
            answer(exchange, 404, Map.of("code", "plugin_not_found", "message", "Plugin not found"));
            return;
        }
        Map<String, String> md5 = digests(zip, slug + "/", "MD5");
        Map<String, Object> files = new java.util.TreeMap<>();
        digests(zip, slug + "/", "SHA-256")
                .forEach((path, sha) -> files.put(
                        path,
                        Map.of(
                                "md5",
                                md5.get(path),
                                "sha256",
                                publishedOverrides.getOrDefault(slug + " " + version + " " + path, sha))));
        answer(
                exchange,
                200,
                Map.of(
                        "plugin",
                        slug,
                        "version",
                        version,
                        "source",
                        "https://plugins.svn.wordpress.org/" + slug + "/tags/" + version + "/",
                        "zip",
                        downloadsUrl() + "/plugin/" + slug + "." + version + ".zip",
                        "files",
                        files));
    }

    private static Map<String, String> digests(Path zip, String top, String algorithm) throws IOException {
        Map<String, String> digests = new java.util.TreeMap<>();
        try (java.util.zip.ZipFile file = new java.util.zip.ZipFile(zip.toFile())) {
            for (java.util.zip.ZipEntry entry : file.stream().toList()) {
                if (entry.isDirectory() || !entry.getName().startsWith(top)) continue;
                try (java.io.InputStream in = file.getInputStream(entry)) {
                    java.security.MessageDigest digest = java.security.MessageDigest.getInstance(algorithm);
                    digest.update(in.readAllBytes());
                    digests.put(
                            entry.getName().substring(top.length()),
                            java.util.HexFormat.of().formatHex(digest.digest()));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return digests;
    }

    private void versionCheck(HttpExchange exchange) throws IOException {
        record(exchange);
        List<Map<String, Object>> offers = new ArrayList<>();
        for (String version : coreReleases.keySet().stream()
                .sorted(java.util.Comparator.reverseOrder())
                .toList()) {
            String zip = downloadsUrl() + "/release/wordpress-" + version + ".zip";
            Map<String, Object> offer = new LinkedHashMap<>();
            offer.put("response", offers.isEmpty() ? "upgrade" : "autoupdate");
            offer.put("download", zip);
            offer.put("locale", "en_US");
            offer.put(
                    "packages",
                    Map.of(
                            "full",
                            zip,
                            "no_content",
                            zip.replace(".zip", "-no-content.zip"),
                            "new_bundled",
                            zip.replace(".zip", "-new-bundled.zip"),
                            "partial",
                            false,
                            "rollback",
                            false));
            offer.put("current", version);
            offer.put("version", version);
            offer.put("php_version", "7.0.0");
            offer.put("mysql_version", "5.5.5");
            offer.put("new_bundled", "6.4");
            offer.put("partial_version", false);
            offers.add(offer);
        }
        answer(exchange, 200, Map.of("offers", offers, "translations", List.of()));
    }

    /** POST plugins={"plugins": {file: {Version}}, "active": [...]}: the hosted ones, under "plugins" when newer exists, else "no_update". */
    private void pluginUpdateCheck(HttpExchange exchange) throws IOException {
        record(exchange);
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0)
                form.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        Map<String, Object> updates = new LinkedHashMap<>();
        Map<String, Object> current = new LinkedHashMap<>();
        JSON.readTree(form.getOrDefault("plugins", "{}"))
                .path("plugins")
                .fields()
                .forEachRemaining(p -> {
                    String slug = p.getKey().contains("/")
                            ? p.getKey().substring(0, p.getKey().indexOf('/'))
                            : p.getKey().replaceFirst("\\.php$", "");
                    Map<String, Path> versions = plugins.get(slug);
                    if (versions == null) return;
                    String latest =
                            versions.keySet().stream().reduce((a, b) -> b).orElseThrow();
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("id", "w.org/plugins/" + slug);
                    item.put("slug", slug);
                    item.put("plugin", p.getKey());
                    item.put("new_version", latest);
                    item.put("url", "https://wordpress.org/plugins/" + slug + "/");
                    item.put("package", downloadsUrl() + "/plugin/" + slug + "." + latest + ".zip");
                    item.put("requires", "6.0");
                    item.put("tested", "6.5.5");
                    item.put("requires_php", "7.4");
                    item.put("requires_plugins", List.of());
                    boolean newer = !latest.equals(p.getValue().path("Version").asText());
                    (newer ? updates : current).put(p.getKey(), item);
                });
        answer(exchange, 200, Map.of("plugins", updates, "translations", List.of(), "no_update", current));
    }

    private void info(HttpExchange exchange, Map<String, Map<String, Path>> kind, String type) throws IOException {
        record(exchange);
        String slug = query(exchange).get("request[slug]");
        Map<String, Path> versions = slug == null ? null : kind.get(slug);
        if (versions == null) {
            answer(exchange, 404, Map.of("error", type.equals("plugin") ? "Plugin not found." : "Theme not found"));
            return;
        }
        Map<String, Object> listed = new LinkedHashMap<>();
        versions.keySet().forEach(v -> listed.put(v, downloadsUrl() + "/" + type + "/" + slug + "." + v + ".zip"));
        listed.put("trunk", downloadsUrl() + "/" + type + "/" + slug + ".zip");
        String latest = versions.keySet().stream().reduce((a, b) -> b).orElseThrow();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", slug);
        body.put("slug", slug);
        body.put("version", latest);
        // as on wordpress.org: the requirements below describe the latest version only
        body.put("requires", "6.0");
        body.put("tested", "6.5.5");
        body.put("requires_php", "7.4");
        body.put("requires_plugins", List.of());
        body.put("download_link", listed.get(latest));
        body.put("versions", listed);
        answer(exchange, 200, body);
    }

    private void download(HttpExchange exchange) throws IOException {
        record(exchange);
        Path zip = files.get(exchange.getRequestURI().getPath());
        if (zip == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "application/zip");
        exchange.sendResponseHeaders(200, Files.size(zip));
        try (OutputStream out = exchange.getResponseBody()) {
            Files.copy(zip, out);
        }
    }

    private void record(HttpExchange exchange) {
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) return query;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0)
                query.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
