package io.stageguard.wordpress;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.springframework.stereotype.Component;

/**
 * Fetches pages of a site over real HTTP. Redirects are followed only within the same origin: a
 * staging page that redirects to the live host is a broken clone, not a page to follow.
 */
@Component
public class PageFetcher implements AutoCloseable {
    private static final int MAX_REDIRECTS = 5;
    /** A page larger than this is cut: a site (or something posing as one) cannot fill Stageguard's memory. */
    static final int MAX_BODY_CHARS = 16 * 1024 * 1024;

    private final CloseableHttpClient client =
            io.stageguard.support.Http.client(java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(60), false);

    /**
     * A fetched page: the final URL, its status, body, where a redirect pointed if it left the
     * origin, and the response headers (names in lower case, first value of each).
     */
    public record Page(String url, int status, String body, String offOriginRedirect, Map<String, String> headers) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    public Page get(String url) throws IOException {
        return get(url, Map.of());
    }

    /** Fetches with extra request headers, sent on every same-origin hop (the staging credential). */
    public Page get(String url, Map<String, String> requestHeaders) throws IOException {
        URI uri = URI.create(url);
        for (int hop = 0; ; hop++) {
            final URI current = uri;
            HttpGet request = new HttpGet(current);
            requestHeaders.forEach(request::setHeader);
            Page page = client.execute(request, response -> {
                Header location = response.getFirstHeader("Location");
                String body = response.getEntity() == null
                        ? ""
                        : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8, MAX_BODY_CHARS);
                Map<String, String> headers = new HashMap<>();
                for (Header h : response.getHeaders())
                    headers.putIfAbsent(h.getName().toLowerCase(Locale.ROOT), h.getValue());
                return new Page(
                        current.toString(),
                        response.getCode(),
                        body,
                        location == null
                                ? null
                                : current.resolve(location.getValue()).toString(),
                        headers);
            });
            if (page.status() < 300 || page.status() >= 400 || page.offOriginRedirect() == null) {
                return new Page(page.url(), page.status(), page.body(), null, page.headers());
            }
            URI next = URI.create(page.offOriginRedirect());
            if (!sameOrigin(current, next) || hop >= MAX_REDIRECTS) {
                return page;
            }
            uri = next;
        }
    }

    /** Posts a JSON body and returns the answer as it is (no redirect followed): for Stageguard's own one-shot requests. */
    public Page postJson(String url, Map<String, String> requestHeaders, String json) throws IOException {
        HttpPost request = new HttpPost(URI.create(url));
        requestHeaders.forEach(request::setHeader);
        request.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
        return client.execute(request, response -> {
            String body = response.getEntity() == null
                    ? ""
                    : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8, MAX_BODY_CHARS);
            Map<String, String> headers = new HashMap<>();
            for (Header h : response.getHeaders())
                headers.putIfAbsent(h.getName().toLowerCase(Locale.ROOT), h.getValue());
            return new Page(url, response.getCode(), body, null, headers);
        });
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost().equalsIgnoreCase(b.getHost())
                && a.getPort() == b.getPort();
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
