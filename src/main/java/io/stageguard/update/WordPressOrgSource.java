package io.stageguard.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stageguard.StageguardProperties;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The wordpress.org API as WordPress itself asks it: {@code core/version-check/1.7} for core
 * releases, {@code plugins/update-check/1.1} for which of a site's plugins it hosts,
 * {@code plugins/info/1.2} and {@code themes/info/1.2} (with {@code versions}) for every version of
 * a plugin or theme, and the download links those answers give, fetched only from the configured
 * hosts.
 */
@Component
@Order(2)
public class WordPressOrgSource implements UpdateSource {
    public static final String NAME = "wordpress.org";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_ANSWER = 8L << 20;
    private static final Set<String> HOSTS = Set.of("wordpress.org", "w.org");
    private final UpdateProperties properties;
    private final Path downloads;
    private final CloseableHttpClient client =
            io.stageguard.support.Http.client(java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(60), true);

    public WordPressOrgSource(UpdateProperties properties, StageguardProperties app) {
        this.properties = properties;
        this.downloads = app.dataDir().resolve("downloads").resolve(NAME);
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Core and themes as they are; of the plugins, those wordpress.org's update check
     * ({@code plugins/update-check/1.1}, one request for all) answers for, with or without an update.
     * As WordPress decides, a package whose {@code Update URI} names another host is never
     * wordpress.org's, whatever its slug, and is not even asked about.
     */
    @Override
    public List<InstalledItem> carried(List<InstalledItem> items) throws IOException {
        List<InstalledItem> ours = items.stream()
                .filter(i -> i.updateUri() == null || HOSTS.contains(hostOf(i.updateUri())))
                .toList();
        Map<String, Object> plugins = new LinkedHashMap<>();
        List<String> active = new ArrayList<>();
        for (InstalledItem item : ours) {
            if (item.type() != ChangeType.PLUGIN || item.file() == null) continue;
            plugins.put(item.file(), Map.of("Name", item.slug(), "Version", item.version()));
            if (item.active()) active.add(item.file());
        }
        Set<String> hosted = new HashSet<>();
        if (!plugins.isEmpty()) {
            HttpPost check = new HttpPost(properties.wordpressOrgApi() + "/plugins/update-check/1.1/");
            check.setEntity(new UrlEncodedFormEntity(
                    List.of(
                            new BasicNameValuePair(
                                    "plugins", JSON.writeValueAsString(Map.of("plugins", plugins, "active", active))),
                            new BasicNameValuePair("all", "true")),
                    StandardCharsets.UTF_8));
            JsonNode answer = json(check, "the wordpress.org plugin update check");
            for (String list : List.of("plugins", "no_update"))
                answer.path(list).forEach(p -> hosted.add(p.path("slug").asText()));
        }
        return ours.stream()
                .filter(i -> i.type() != ChangeType.PLUGIN || hosted.contains(i.slug()))
                .toList();
    }

    @Override
    public List<Offer> offers(InstalledItem item) throws IOException {
        return switch (item.type()) {
            case CORE -> coreOffers(item.version());
            case PLUGIN -> versions("plugins", "plugin_information", item);
            case THEME -> versions("themes", "theme_information", item);
            case OPTION, CONSTANT -> List.of();
        };
    }

    private static String hostOf(String uri) {
        String host = uri.replaceFirst("^[a-zA-Z]+://", "").replaceAll("[/:?#].*$", "");
        return host.toLowerCase(java.util.Locale.ROOT);
    }

    private List<Offer> coreOffers(String installed) throws IOException {
        JsonNode answer = json(
                new HttpGet(properties.wordpressOrgApi() + "/core/version-check/1.7/?version=" + encode(installed)
                        + "&locale=en_US"),
                "the wordpress.org core version check");
        List<Offer> offers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode offer : answer.path("offers")) {
            String version = offer.path("version").asText();
            // version-check lists the same release once per kind of offer (upgrade, autoupdate); en_US ships the full
            // package
            String download = offer.path("packages")
                    .path("full")
                    .asText(offer.path("download").asText());
            if (!version.isEmpty() && !download.isEmpty() && seen.add(version))
                offers.add(new Offer(ChangeType.CORE, Change.CORE_SLUG, version, NAME, download));
        }
        return offers;
    }

    private List<Offer> versions(String kind, String action, InstalledItem item) throws IOException {
        String url = properties.wordpressOrgApi() + "/" + kind + "/info/1.2/?action=" + action + "&request%5Bslug%5D="
                + encode(item.slug()) + "&request%5Bfields%5D%5Bversions%5D=1";
        JsonNode answer = json(new HttpGet(url), "the wordpress.org " + kind + " API");
        // an unknown slug: {"error": "Plugin not found."} (HTTP 404), or for themes "false"
        if (!answer.isObject() || answer.has("error")) return List.of();
        List<Offer> offers = new ArrayList<>();
        answer.path("versions").fields().forEachRemaining(v -> {
            if (!v.getKey().equals("trunk") && v.getValue().isTextual())
                offers.add(new Offer(
                        item.type(), item.slug(), v.getKey(), NAME, v.getValue().asText()));
        });
        String latest = answer.path("version").asText();
        String link = answer.path("download_link").asText();
        if (!latest.isEmpty()
                && !link.isEmpty()
                && offers.stream().noneMatch(o -> o.version().equals(latest))) {
            offers.add(new Offer(item.type(), item.slug(), latest, NAME, link));
        }
        return offers;
    }

    @Override
    public Path download(Offer offer) throws IOException {
        URI uri = URI.create(offer.location());
        if (!fromConfiguredHost(uri)) {
            throw new IOException("wordpress.org named a package at " + uri + ", outside "
                    + properties.wordpressOrgDownloads() + " and " + properties.wordpressOrgApi() + "; not fetched");
        }
        Path file = downloads.resolve(offer.type().label() + "-" + offer.slug() + "-"
                + offer.version().replaceAll("[^A-Za-z0-9._-]", "_") + ".zip");
        if (Files.isRegularFile(file)) return file;
        Files.createDirectories(downloads);
        Path partial = downloads.resolve(".partial-" + UUID.randomUUID());
        try {
            client.execute(new HttpGet(uri), response -> {
                if (response.getCode() != 200) throw new IOException(uri + " answered HTTP " + response.getCode());
                try (InputStream in = response.getEntity().getContent()) {
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                }
                return null;
            });
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return file;
    }

    /**
     * What wordpress.org publishes as the files of a release, path (relative to the package's
     * folder) → digest: core's MD5s from {@code core/checksums/1.0}, a plugin's SHA-256s from
     * {@code plugin-checksums/{slug}/{version}.json} (where a file changed between builds of one
     * version, every published digest counts). Themes have none; empty then.
     */
    public Map<String, List<String>> publishedChecksums(ChangeType type, String slug, String version)
            throws IOException {
        Map<String, List<String>> sums = new LinkedHashMap<>();
        if (type == ChangeType.CORE) {
            JsonNode answer = json(
                    new HttpGet(properties.wordpressOrgApi() + "/core/checksums/1.0/?version=" + encode(version)
                            + "&locale=en_US"),
                    "the wordpress.org core checksums");
            answer.path("checksums")
                    .fields()
                    .forEachRemaining(
                            e -> sums.put(e.getKey(), List.of(e.getValue().asText())));
        } else if (type == ChangeType.PLUGIN) {
            JsonNode answer = json(
                    new HttpGet(properties.wordpressOrgDownloads() + "/plugin-checksums/" + encode(slug) + "/"
                            + encode(version) + ".json"),
                    "the wordpress.org plugin checksums");
            answer.path("files").fields().forEachRemaining(e -> {
                JsonNode sha = e.getValue().path("sha256");
                List<String> digests = new ArrayList<>();
                if (sha.isArray()) sha.forEach(d -> digests.add(d.asText()));
                else if (sha.isTextual()) digests.add(sha.asText());
                sums.put(e.getKey(), digests);
            });
        }
        return sums;
    }

    /**
     * Where people read what a version of a wordpress.org package changed: a plugin's changelog
     * tab, a theme's page, core's release notes.
     */
    public static String changelogUrl(ChangeType type, String slug, String version) {
        return switch (type) {
            case PLUGIN -> "https://wordpress.org/plugins/" + slug + "/#developers";
            case THEME -> "https://wordpress.org/themes/" + slug + "/";
            case CORE ->
                "https://wordpress.org/documentation/wordpress-version/version-" + version.replace('.', '-') + "/";
            case OPTION, CONSTANT -> throw new IllegalArgumentException("a setting has no changelog");
        };
    }

    /**
     * Whether {@code packagePath} is a package this source fetched from wordpress.org: only it
     * writes below its download folder, so a path there is one whatever named it.
     */
    public boolean fetched(String packagePath) {
        if (packagePath == null) return false;
        try {
            return Files.isDirectory(downloads)
                    && Path.of(packagePath).toRealPath().startsWith(downloads.toRealPath());
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    private boolean fromConfiguredHost(URI uri) {
        for (String base : List.of(properties.wordpressOrgDownloads(), properties.wordpressOrgApi())) {
            URI allowed = URI.create(base);
            if (allowed.getScheme().equals(uri.getScheme())
                    && allowed.getHost().equalsIgnoreCase(uri.getHost())
                    && allowed.getPort() == uri.getPort()) {
                return true;
            }
        }
        return false;
    }

    private JsonNode json(HttpUriRequestBase request, String what) throws IOException {
        try {
            return client.execute(request, response -> {
                String body = response.getEntity() == null
                        ? ""
                        : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8, (int) MAX_ANSWER);
                if (response.getCode() >= 500) throw new IOException(what + " answered HTTP " + response.getCode());
                try {
                    return JSON.readTree(body.isEmpty() ? "null" : body);
                } catch (IOException e) {
                    throw new IOException(what + " answered HTTP " + response.getCode() + " without JSON");
                }
            });
        } catch (IOException e) {
            throw new IOException(what + " at " + request.getRequestUri() + " failed: " + e.getMessage(), e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
