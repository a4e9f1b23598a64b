package io.stageguard.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stageguard.site.Site;
import io.stageguard.site.SiteCaches;
import io.stageguard.wordpress.PageFetcher;
import io.stageguard.wordpress.ServingPhp;
import io.stageguard.wordpress.WordPressTables;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Clears every layer that could keep serving the old version after a push, inside out: WordPress
 * transients, the page-cache plugins the site runs (through their own functions, inside the serving
 * PHP), the reverse proxy in front (PURGE per page or one BAN), then Cloudflare and Fastly through
 * their APIs. Afterwards each page is fetched through live as visitors get it: an answer older
 * than the purge is a stale cache hit and fails the step. A layer that cannot be reached fails it
 * too (the job is retried, then becomes an incident that says which layer): never a silent pass.
 * Tokens go only into the request headers of the API calls.
 */
@Component
public class CachePurger {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAGE_CACHE_PLUGINS = """
            define( 'WP_USE_THEMES', false );
            require __DIR__ . '/wp-load.php';
            $purged = array();
            if ( function_exists( 'rocket_clean_domain' ) ) { rocket_clean_domain(); $purged[] = 'WP Rocket'; }
            if ( function_exists( 'w3tc_flush_all' ) ) { w3tc_flush_all(); $purged[] = 'W3 Total Cache'; }
            if ( defined( 'LSCWP_V' ) ) { do_action( 'litespeed_purge_all' ); $purged[] = 'LiteSpeed Cache'; }
            if ( function_exists( 'wp_cache_clear_cache' ) ) { wp_cache_clear_cache(); $purged[] = 'WP Super Cache'; }
            if ( has_action( 'rt_nginx_helper_purge_all' ) ) { do_action( 'rt_nginx_helper_purge_all' ); $purged[] = 'Nginx Helper'; }
            if ( class_exists( '\\\\CF\\\\WordPress\\\\Hooks' ) ) { ( new \\CF\\WordPress\\Hooks() )->purgeCacheEverything(); $purged[] = 'Cloudflare plugin'; }
            wp_cache_flush();
            echo json_encode( array( 'purged' => $purged ) );
            """;

    private final CdnProperties cdn;
    private final ServingPhp servingPhp;
    private final PageFetcher fetcher;
    private final CloseableHttpClient client =
            io.stageguard.support.Http.client(java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(30), false);

    public CachePurger(CdnProperties cdn, ServingPhp servingPhp, PageFetcher fetcher) {
        this.cdn = cdn;
        this.servingPhp = servingPhp;
        this.fetcher = fetcher;
    }

    /** Where the CDN APIs are; tests point them at local servers that answer in the same shapes. */
    @ConfigurationProperties("stageguard.cdn")
    public record CdnProperties(String cloudflareApi, String fastlyApi) {
        public CdnProperties {
            if (cloudflareApi == null || cloudflareApi.isBlank()) cloudflareApi = "https://api.cloudflare.com";
            if (fastlyApi == null || fastlyApi.isBlank()) fastlyApi = "https://api.fastly.com";
            cloudflareApi = cloudflareApi.replaceAll("/+$", "");
            fastlyApi = fastlyApi.replaceAll("/+$", "");
        }
    }

    /** @param pages the paths to purge one by one (PURGE) and to check for stale answers afterwards */
    public List<String> purge(Site site, List<String> pages) throws SQLException, IOException {
        Instant started = Instant.now();
        List<String> done = new ArrayList<>();
        String options = WordPressTables.quote(site.live().database().tablePrefix() + "options");
        try (Connection c = site.live().database().open();
                Statement st = c.createStatement()) {
            int rows = st.executeUpdate("DELETE FROM " + options + " WHERE option_name LIKE '\\_transient\\_%' "
                    + "OR option_name LIKE '\\_site\\_transient\\_%'");
            done.add("WordPress: " + rows + " transient rows deleted");
        }
        JsonNode plugins = servingPhp.run(site.live(), PAGE_CACHE_PLUGINS, Map.of());
        List<String> purgedPlugins = new ArrayList<>();
        plugins.path("purged").forEach(p -> purgedPlugins.add(p.asText()));
        done.add("page-cache plugins: "
                + (purgedPlugins.isEmpty() ? "none active" : String.join(", ", purgedPlugins) + " purged")
                + "; object cache flushed");
        SiteCaches caches = site.caches();
        if (caches.reverseProxy() != null) done.add(purgeProxy(site, caches.reverseProxy(), pages));
        if (caches.cloudflare() != null) done.add(purgeCloudflare(caches.cloudflare()));
        if (caches.fastly() != null) done.add(purgeFastly(caches.fastly()));
        done.add(checkFresh(site, pages, started));
        return done;
    }

    private String purgeProxy(Site site, SiteCaches.ReverseProxy proxy, List<String> pages) throws IOException {
        String host = URI.create(site.live().baseUrl()).getRawAuthority();
        List<String> paths = proxy.method() == SiteCaches.PurgeMethod.BAN ? List.of("/") : pages;
        for (String path : paths) {
            HttpUriRequestBase request = new HttpUriRequestBase(
                    proxy.method().name(), URI.create(proxy.url().replaceAll("/+$", "") + path));
            // the proxy keys its cache by live's host name, not by the address Stageguard reaches it at
            request.setHeader("Host", host);
            Answer answer = send(request, "the reverse proxy at " + proxy.url());
            if (answer.status() >= 400)
                throw new IOException(proxy.method() + " " + path + " at the reverse proxy " + proxy.url()
                        + " answered " + answer.status());
        }
        return "reverse proxy " + proxy.url() + ": "
                + (proxy.method() == SiteCaches.PurgeMethod.BAN
                        ? "BAN of every page of " + host
                        : "PURGE of " + paths.size() + " page(s)");
    }

    private String purgeCloudflare(SiteCaches.Cloudflare cloudflare) throws IOException {
        HttpUriRequestBase request = new HttpUriRequestBase(
                "POST", URI.create(cdn.cloudflareApi() + "/client/v4/zones/" + cloudflare.zoneId() + "/purge_cache"));
        request.setHeader("Authorization", "Bearer " + cloudflare.secret());
        request.setEntity(new StringEntity("{\"purge_everything\":true}", ContentType.APPLICATION_JSON));
        Answer answer = send(request, "the Cloudflare API");
        JsonNode body = json(answer, "the Cloudflare API");
        if (answer.status() != 200 || !body.path("success").asBoolean()) {
            throw new IOException("the Cloudflare API refused to purge zone " + cloudflare.zoneId() + " (HTTP "
                    + answer.status() + "): " + body.path("errors"));
        }
        return "Cloudflare zone " + cloudflare.zoneId() + ": everything purged (purge "
                + body.path("result").path("id").asText() + ")";
    }

    private String purgeFastly(SiteCaches.Fastly fastly) throws IOException {
        HttpUriRequestBase request = new HttpUriRequestBase(
                "POST", URI.create(cdn.fastlyApi() + "/service/" + fastly.serviceId() + "/purge_all"));
        request.setHeader("Fastly-Key", fastly.secret());
        request.setHeader("Accept", "application/json");
        Answer answer = send(request, "the Fastly API");
        JsonNode body = json(answer, "the Fastly API");
        if (answer.status() != 200 || !"ok".equals(body.path("status").asText())) {
            throw new IOException("the Fastly API refused to purge service " + fastly.serviceId() + " (HTTP "
                    + answer.status() + "): " + body.path("msg").asText());
        }
        return "Fastly service " + fastly.serviceId() + ": everything purged";
    }

    /** Fetches each page as visitors get it: an answer cached before the purge fails the step. */
    private String checkFresh(Site site, List<String> pages, Instant purgeStarted) throws IOException {
        List<String> stale = new ArrayList<>();
        long allowedAge = Duration.between(purgeStarted, Instant.now()).toSeconds() + 1;
        for (String path : pages) {
            PageFetcher.Page page = fetcher.get(site.live().url(path));
            String age = page.header("age");
            if (age != null && age.matches("\\d+") && Long.parseLong(age) > allowedAge) {
                stale.add(path + " (Age " + age + " s"
                        + (page.header("x-cache") == null ? "" : ", " + page.header("x-cache")) + ")");
            }
        }
        if (!stale.isEmpty()) {
            throw new IOException("live still serves pages cached before the purge: " + String.join(", ", stale));
        }
        return pages.size() + " page(s) fetched through live after the purge: none served from before it";
    }

    private record Answer(int status, String body) {}

    private Answer send(HttpUriRequestBase request, String what) throws IOException {
        try {
            return client.execute(
                    request,
                    r -> new Answer(
                            r.getCode(),
                            r.getEntity() == null
                                    ? ""
                                    : EntityUtils.toString(r.getEntity(), StandardCharsets.UTF_8, 1024 * 1024)));
        } catch (IOException e) {
            throw new IOException(what + " could not be reached: " + e.getMessage(), e);
        }
    }

    private static JsonNode json(Answer answer, String what) throws IOException {
        try {
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new IOException(what + " answered HTTP " + answer.status() + " without JSON", e);
        }
    }
}
