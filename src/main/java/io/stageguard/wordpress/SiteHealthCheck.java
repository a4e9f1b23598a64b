package io.stageguard.wordpress;

import io.stageguard.site.SiteEnvironment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/** Asks a running site whether the given paths render: a 2xx answer without a PHP fatal error. */
@Component
public class SiteHealthCheck {
    /** What PHP and WordPress print when a page dies; with or without WP_DEBUG. */
    private static final Pattern PHP_FATAL = Pattern.compile(
            "(<b>(Fatal|Parse) error</b>:|PHP (Fatal|Parse) error:|There has been a critical error on this website)");

    private final PageFetcher fetcher;

    public SiteHealthCheck(PageFetcher fetcher) {
        this.fetcher = fetcher;
    }

    /** One page's answer; {@code html} is what was served, kept for checks that read the page itself. */
    public record PageHealth(String path, int status, String problem, String html) {
        public boolean healthy() {
            return problem == null;
        }
    }

    public record Health(String baseUrl, List<PageHealth> pages) {
        public boolean healthy() {
            return pages.stream().allMatch(PageHealth::healthy);
        }

        public String summary() {
            StringBuilder out = new StringBuilder();
            for (PageHealth p : pages) {
                out.append(p.path())
                        .append(' ')
                        .append(p.status())
                        .append(' ')
                        .append(p.healthy() ? "ok" : p.problem())
                        .append('\n');
            }
            return out.toString().trim();
        }
    }

    public static boolean showsPhpFatal(String html) {
        return html != null && PHP_FATAL.matcher(html).find();
    }

    public Health check(SiteEnvironment env, List<String> paths) {
        return check(env, paths, Map.of());
    }

    /** Checks with extra request headers: the credential that gets past the staging guard. */
    public Health check(SiteEnvironment env, List<String> paths, Map<String, String> headers) {
        List<PageHealth> results = new ArrayList<>();
        for (String path : paths) {
            results.add(checkPage(env, path, headers));
        }
        return new Health(env.baseUrl(), results);
    }

    /**
     * As {@link #check(SiteEnvironment, List)}, each page asked under a query no cache has seen
     * (Varnish, a CDN and page-cache plugins pass it to PHP), so the answers are what the site's
     * code gives now, not what a cache kept from before.
     */
    public Health checkPastCaches(SiteEnvironment env, List<String> paths) {
        String nonce = Long.toHexString(System.nanoTime()) + Long.toHexString(Double.doubleToLongBits(Math.random()));
        List<PageHealth> results = new ArrayList<>();
        for (String path : paths) {
            results.add(checkPage(
                    env, path, path + (path.contains("?") ? "&" : "?") + "stageguard-check=" + nonce, Map.of()));
        }
        return new Health(env.baseUrl(), results);
    }

    private PageHealth checkPage(SiteEnvironment env, String path, Map<String, String> headers) {
        return checkPage(env, path, path, headers);
    }

    private PageHealth checkPage(SiteEnvironment env, String path, String asked, Map<String, String> headers) {
        try {
            PageFetcher.Page page = fetcher.get(env.url(asked), headers);
            if (page.offOriginRedirect() != null) {
                return new PageHealth(
                        path, page.status(), "redirects away to " + page.offOriginRedirect(), page.body());
            }
            if (page.status() >= 400) {
                return new PageHealth(path, page.status(), "HTTP " + page.status(), page.body());
            }
            if (showsPhpFatal(page.body())) {
                return new PageHealth(path, page.status(), "PHP fatal error in the page", page.body());
            }
            return new PageHealth(path, page.status(), null, page.body());
        } catch (IOException e) {
            return new PageHealth(path, 0, "unreachable: " + e.getMessage(), "");
        }
    }
}
