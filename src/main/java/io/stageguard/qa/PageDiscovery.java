package io.stageguard.qa;

import io.stageguard.site.PageFetcher;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the pages QA should look at beyond the release's own QA paths, from the live site itself:
 * the links of its primary navigation (what visitors click first) and WordPress's sitemap. Only
 * GET requests, so live is only read.
 */
public final class PageDiscovery {
    private static final Pattern NAV = Pattern.compile("<nav\\b[^>]*>(.*?)</nav>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern HREF = Pattern.compile("href\\s*=\\s*[\"']([^\"'#]+)[\"']", Pattern.CASE_INSENSITIVE);
    private static final Pattern LOC = Pattern.compile("<loc>\\s*(?:<!\\[CDATA\\[)?\\s*([^<\\]\\s]+)", Pattern.CASE_INSENSITIVE);
    private static final int MAX_SITEMAPS = 10;
    private final PageFetcher fetcher;

    public PageDiscovery(PageFetcher fetcher) {
        this.fetcher = fetcher;
    }

    /** The given paths first, then menu and sitemap pages, each once, at most {@code max} in all (given paths always included). */
    public List<String> pages(String liveBaseUrl, List<String> given, int max) {
        Set<String> pages = new LinkedHashSet<>(given);
        List<String> found = new ArrayList<>();
        try {
            PageFetcher.Page home = fetcher.get(liveBaseUrl + "/");
            if (home.status() == 200) {
                Matcher nav = NAV.matcher(home.body());
                while (nav.find()) found.addAll(links(HREF.matcher(nav.group(1)), liveBaseUrl));
            }
            found.addAll(sitemapPages(liveBaseUrl));
        } catch (IOException e) {
            // discovery only adds pages; the release's own paths are still checked
        }
        for (String path : found) {
            if (pages.size() >= Math.max(max, given.size())) break;
            pages.add(path);
        }
        return List.copyOf(pages);
    }

    /** Pages listed in WordPress's sitemap index (core's since 5.5), one level of sub-sitemaps deep. */
    private List<String> sitemapPages(String base) throws IOException {
        PageFetcher.Page index = fetcher.get(base + "/wp-sitemap.xml");
        if (index.status() != 200 || !index.body().contains("<loc>")) index = fetcher.get(base + "/?sitemap=index");
        if (index.status() != 200) return List.of();
        List<String> pages = new ArrayList<>();
        int sitemaps = 0;
        Matcher loc = LOC.matcher(index.body());
        while (loc.find()) {
            String url = loc.group(1).replace("&amp;", "&");
            if (!url.contains("sitemap")) {
                pathOf(url, base).ifPresent(pages::add);
            } else if (sitemaps++ < MAX_SITEMAPS && url.startsWith(base)) {
                PageFetcher.Page sub = fetcher.get(url);
                if (sub.status() == 200) pages.addAll(links(LOC.matcher(sub.body()), base));
            }
        }
        return pages;
    }

    private static List<String> links(Matcher m, String base) {
        List<String> paths = new ArrayList<>();
        while (m.find()) pathOf(m.group(1).replace("&amp;", "&"), base).ifPresent(paths::add);
        return paths;
    }

    /** The path (with query) of a link to a page of this site; feeds, admin and files are not pages to compare. */
    static Optional<String> pathOf(String link, String base) {
        String absolute = link.startsWith("/") && !link.startsWith("//") ? base + link : link;
        if (!absolute.startsWith(base + "/") && !absolute.equals(base)) return Optional.empty();
        URI uri;
        try {
            uri = URI.create(absolute);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String basePath = URI.create(base).getRawPath();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (basePath != null && !basePath.isEmpty()) path = path.substring(Math.min(basePath.length(), path.length()));
        if (!path.startsWith("/")) path = "/" + path;
        if (path.startsWith("/wp-admin") || path.startsWith("/wp-login") || path.startsWith("/wp-json") || path.contains("/feed")
                || path.matches(".*\\.(xml|jpe?g|png|gif|webp|svg|pdf|zip|css|js)$")) {
            return Optional.empty();
        }
        return Optional.of(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
    }
}
