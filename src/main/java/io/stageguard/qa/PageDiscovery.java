package io.stageguard.qa;

import io.stageguard.wordpress.PageFetcher;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the pages QA should look at beyond the release's own QA paths, from the live site itself,
 * so that every template the site has is covered: its sitemaps (named in {@code robots.txt}, core's
 * {@code /wp-sitemap.xml} or {@code /?sitemap=index}, SEO plugins' {@code /sitemap_index.xml} and
 * {@code /sitemap.xml}, nested indexes followed), the links of its menus and of the front page's
 * content, and probes every WordPress has (search results, the 404 page, a date archive). Each page
 * is classified by the classes WordPress puts on its {@code <body>}; the sample takes one page per
 * template, then fills the rest of {@code max} evenly. Only GET requests, so live is only read.
 */
public final class PageDiscovery {
    private static final Pattern NAV =
            Pattern.compile("<nav\\b[^>]*>(.*?)</nav>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern MAIN =
            Pattern.compile("<main\\b[^>]*>(.*?)</main>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern HREF = Pattern.compile("href\\s*=\\s*[\"']([^\"'#]+)[\"']", Pattern.CASE_INSENSITIVE);
    private static final Pattern LOC =
            Pattern.compile("<loc>\\s*(?:<!\\[CDATA\\[)?\\s*([^<\\]\\s]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern ROBOTS_SITEMAP = Pattern.compile("(?im)^\\s*sitemap\\s*:\\s*(\\S+)");
    private static final Pattern BODY_CLASS =
            Pattern.compile("<body\\b[^>]*\\bclass\\s*=\\s*[\"']([^\"']*)[\"']", Pattern.CASE_INSENSITIVE);
    private static final Pattern PUBLISHED =
            Pattern.compile("(?:article:published_time\"\\s+content|<time[^>]*datetime)=\"(\\d{4})-(\\d{2})");
    private static final Pattern AUTHOR_LINK =
            Pattern.compile("href=\"([^\"]+)\"[^>]*rel=\"author\"|rel=\"author\"[^>]*href=\"([^\"]+)\"");
    /** Links to a post's categories and tags: {@code the_category()} and {@code the_tags()} mark them so. */
    private static final Pattern TERM_LINK = Pattern.compile("href=\"([^\"]+)\"[^>]*rel=\"(?:category )?tag\"");
    /** Sitemap files read at most: an index of indexes of a big shop must not turn discovery into a crawl. */
    private static final int MAX_SITEMAPS = 25;

    static final String SEARCH_PROBE = "/?s=a";
    /** A path no site has: its answer is the site's 404 page. */
    static final String MISSING_PROBE = "/stageguard-qa-no-such-page/";

    private final PageFetcher fetcher;

    public PageDiscovery(PageFetcher fetcher) {
        this.fetcher = fetcher;
    }

    /** A page QA looks at and the template it stands for ("post", "category archive"; "unknown" when its body says none). */
    public record SampledPage(String path, String template) {}

    /**
     * What live offers that every visitor uses, as discovery saw it there: the basis of the checks
     * a site gets without configuring any ({@link DefaultChecks}).
     *
     * @param searchFinds  whether searching for "a" ({@link #SEARCH_PROBE}) lists results
     * @param searchForm   a page with a search form; null when none was seen (some themes show none)
     * @param commentPost  a post whose comment form is open; null when none was seen
     * @param commentAsks  the fields the comment form asks a visitor for besides the comment ("author", "email")
     * @param loginForm    whether {@code /wp-login.php} shows WordPress's login form
     */
    public record Features(
            boolean searchFinds, String searchForm, String commentPost, List<String> commentAsks, boolean loginForm) {
        public Features {
            commentAsks = commentAsks == null ? List.of() : List.copyOf(commentAsks);
        }
    }

    /**
     * @param pages    the given paths first, then one page per template found, then the rest evenly
     * @param sitemaps the sitemap files read, in the order found
     * @param features what live offers every visitor (search, comments, login)
     */
    public record Sample(List<SampledPage> pages, List<String> sitemaps, Features features) {
        public List<String> paths() {
            return pages.stream().map(SampledPage::path).toList();
        }

        /** Each template once, with the first page sampled for it. */
        public Map<String, String> coverage() {
            Map<String, String> covered = new LinkedHashMap<>();
            pages.forEach(p -> covered.putIfAbsent(p.template(), p.path()));
            return covered;
        }
    }

    /** The pages to check: the given paths always, and discovered ones up to {@code max} in all. */
    public List<String> pages(String liveBaseUrl, List<String> given, int max) {
        return sample(liveBaseUrl, given, max).paths();
    }

    public Sample sample(String base, List<String> given, int max) {
        int limit = Math.max(max, given.size());
        // candidates by where they were found: each sitemap file, the menus, the front page's content, the probes
        Map<String, List<String>> groups = new LinkedHashMap<>();
        List<String> sitemaps = new ArrayList<>();
        String home = get(base + "/");
        if (home != null) {
            add(groups, "front page", List.of("/"));
            Matcher nav = NAV.matcher(home);
            while (nav.find()) add(groups, "menus", links(HREF.matcher(nav.group(1)), base));
            Matcher main = MAIN.matcher(home);
            while (main.find()) add(groups, "front page content", links(HREF.matcher(main.group(1)), base));
        }
        sitemapPages(base, groups, sitemaps);
        add(groups, "probes", List.of(SEARCH_PROBE, MISSING_PROBE));

        // classify given pages and a fair share of every group, round-robin, within a fetch budget
        Map<String, String> templateOf = new LinkedHashMap<>();
        FeatureSeen seen = new FeatureSeen();
        for (String path : given) {
            Classified page = classify(base, path);
            templateOf.put(path, page.template());
            seen.note(path, page);
        }
        int budget = Math.max(30, limit * 3);
        List<Deque<String>> queues = new ArrayList<>();
        groups.values().forEach(g -> queues.add(new ArrayDeque<>(g)));
        for (boolean more = true; more && templateOf.size() < budget; ) {
            more = false;
            for (int q = 0; q < queues.size() && templateOf.size() < budget; q++) {
                String path = queues.get(q).poll();
                if (path == null) continue;
                more = true;
                if (templateOf.containsKey(path)) continue;
                Classified page = classify(base, path);
                // a link that redirects (/?author=1 to /author/admin/) stands for the page it lands on, sampled once
                templateOf.put(path, page.landed().equals(path) ? page.template() : NOT_A_PAGE);
                if (!page.landed().equals(path) && templateOf.putIfAbsent(page.landed(), page.template()) != null)
                    continue;
                seen.note(page.landed(), page);
                // a post leads to its archives: the author's and the month's
                if (page.template().equals("single post")) queues.add(new ArrayDeque<>(archivesOf(page.html(), base)));
            }
        }

        // the given paths, then one per template, then the rest evenly over the templates
        Map<String, SampledPage> chosen = new LinkedHashMap<>();
        given.forEach(p -> chosen.put(p, new SampledPage(p, templateOf.get(p))));
        Map<String, Deque<String>> byTemplate = new LinkedHashMap<>();
        templateOf.forEach((path, template) -> {
            if (!template.equals(NOT_A_PAGE))
                byTemplate.computeIfAbsent(template, t -> new ArrayDeque<>()).add(path);
        });
        Set<String> covered = new LinkedHashSet<>(
                chosen.values().stream().map(SampledPage::template).toList());
        for (Map.Entry<String, Deque<String>> t : byTemplate.entrySet()) {
            if (chosen.size() >= limit) break;
            if (covered.add(t.getKey())) take(t.getValue(), chosen, t.getKey());
        }
        for (boolean more = true; more && chosen.size() < limit; ) {
            more = false;
            for (Map.Entry<String, Deque<String>> t : byTemplate.entrySet()) {
                if (chosen.size() >= limit) break;
                more |= take(t.getValue(), chosen, t.getKey());
            }
        }
        String login = get(base + "/wp-login.php");
        return new Sample(
                List.copyOf(chosen.values()),
                List.copyOf(sitemaps),
                new Features(
                        seen.searchFinds,
                        seen.searchForm,
                        seen.commentPost,
                        seen.commentAsks,
                        login != null && login.contains("id=\"loginform\"")));
    }

    /** The first page of each kind a default check needs, as classification comes across them. */
    private static final class FeatureSeen {
        boolean searchFinds;
        String searchForm;
        String commentPost;
        List<String> commentAsks = List.of();

        void note(String path, Classified page) {
            String html = page.html();
            if (path.equals(SEARCH_PROBE)
                    && BODY_CLASS
                            .matcher(html)
                            .results()
                            .anyMatch(m -> m.group(1).contains("search-results"))) searchFinds = true;
            if (searchForm == null && html.contains("role=\"search\"") && html.contains("name=\"s\""))
                searchForm = path;
            if (commentPost == null && page.template().startsWith("single ") && html.contains("id=\"commentform\"")) {
                commentPost = path;
                commentAsks = java.util.stream.Stream.of("author", "email")
                        .filter(f -> html.contains("id=\"" + f + "\""))
                        .toList();
            }
        }
    }

    /** Moves the next page of a template not yet chosen into {@code chosen}; false when the template has none left. */
    private static boolean take(Deque<String> pages, Map<String, SampledPage> chosen, String template) {
        for (String path = pages.poll(); path != null; path = pages.poll()) {
            if (!chosen.containsKey(path)) {
                chosen.put(path, new SampledPage(path, template));
                return true;
            }
        }
        return false;
    }

    private static final String NOT_A_PAGE = "not a page";

    /** {@code landed}: the path the page ended on after same-origin redirects. */
    private record Classified(String template, String html, String landed) {}

    /** What the page's {@code <body>} classes say it is; "not a page" when it does not answer with HTML. */
    private Classified classify(String base, String path) {
        PageFetcher.Page page;
        try {
            page = fetcher.get(base + path);
        } catch (IOException e) {
            page = null;
        }
        if (page == null || page.status() != 200)
            return new Classified(path.equals(MISSING_PROBE) ? "404" : NOT_A_PAGE, "", path);
        Matcher body = BODY_CLASS.matcher(page.body());
        return new Classified(
                template(body.find() ? body.group(1) : ""),
                page.body(),
                pathOf(page.url(), base).orElse(path));
    }

    /** The template WordPress rendered, from the classes {@code body_class()} writes. */
    static String template(String bodyClasses) {
        Set<String> c = new LinkedHashSet<>(
                List.of(bodyClasses.toLowerCase(Locale.ROOT).trim().split("\\s+")));
        if (c.contains("error404")) return "404";
        if (c.contains("search") || c.contains("search-results") || c.contains("search-no-results"))
            return "search results";
        if (c.contains("woocommerce-cart")) return "cart";
        if (c.contains("woocommerce-checkout")) return "checkout";
        if (c.contains("woocommerce-shop") || c.contains("post-type-archive-product")) return "shop";
        if (c.contains("home") || c.contains("front-page")) return "front page";
        if (c.contains("blog")) return "posts page";
        for (String cls : c)
            if (cls.startsWith("single-") && !cls.startsWith("single-format"))
                return "single " + cls.substring("single-".length());
        if (c.contains("page")) return "page";
        if (c.contains("attachment")) return "attachment";
        if (c.contains("category")) return "category archive";
        if (c.contains("tag")) return "tag archive";
        if (c.contains("author")) return "author archive";
        if (c.contains("date")) return "date archive";
        for (String cls : c) if (cls.startsWith("tax-")) return "archive of " + cls.substring(4);
        for (String cls : c)
            if (cls.startsWith("post-type-archive-"))
                return "archive of " + cls.substring("post-type-archive-".length());
        return c.contains("archive") ? "archive" : "unknown";
    }

    /** A post's category and tag archives, its author's archive and its month's archive, from the post's own page. */
    private static List<String> archivesOf(String html, String base) {
        List<String> archives = new ArrayList<>();
        Matcher term = TERM_LINK.matcher(html);
        while (term.find()) pathOf(term.group(1), base).ifPresent(archives::add);
        Matcher author = AUTHOR_LINK.matcher(html);
        if (author.find())
            pathOf(author.group(1) != null ? author.group(1) : author.group(2), base)
                    .ifPresent(archives::add);
        // themes that do not link the author: WordPress answers ?author=1 (the first user, usually the one who set the
        // site up)
        else archives.add("/?author=1");
        Matcher published = PUBLISHED.matcher(html);
        // ?m= reaches the month's archive whatever the permalinks
        if (published.find()) archives.add("/?m=" + published.group(1) + published.group(2));
        return archives;
    }

    /** Pages of every sitemap the site names or WordPress and SEO plugins serve, nested indexes followed. */
    private void sitemapPages(String base, Map<String, List<String>> groups, List<String> read) {
        Deque<String> todo = new ArrayDeque<>();
        String robots = get(base + "/robots.txt");
        if (robots != null) {
            Matcher m = ROBOTS_SITEMAP.matcher(robots);
            while (m.find()) todo.add(m.group(1));
        }
        todo.addAll(List.of(
                base + "/wp-sitemap.xml",
                base + "/?sitemap=index",
                base + "/sitemap_index.xml",
                base + "/sitemap.xml"));
        Set<String> seen = new LinkedHashSet<>();
        boolean coreAnswered = false;
        while (!todo.isEmpty() && read.size() < MAX_SITEMAPS) {
            String url = todo.poll().replace("&amp;", "&");
            if (!url.startsWith(base + "/") || !seen.add(url)) continue;
            // /?sitemap=index is core's index without pretty permalinks: the same as /wp-sitemap.xml when that answers
            if (url.equals(base + "/?sitemap=index") && coreAnswered) continue;
            String xml = get(url);
            if (xml == null || !xml.contains("<loc>")) continue;
            read.add(url);
            if (url.equals(base + "/wp-sitemap.xml")) coreAnswered = true;
            List<String> pages = new ArrayList<>();
            Matcher loc = LOC.matcher(xml);
            boolean index = xml.contains("<sitemapindex");
            while (loc.find()) {
                String found = loc.group(1).replace("&amp;", "&");
                if (index) todo.add(found);
                else pathOf(found, base).ifPresent(pages::add);
            }
            add(groups, url, pages);
        }
    }

    private static void add(Map<String, List<String>> groups, String group, List<String> paths) {
        if (!paths.isEmpty())
            groups.computeIfAbsent(group, g -> new ArrayList<>()).addAll(paths);
    }

    /** The body of a GET that answered 200, or null (404, an error, an unreachable site). */
    private String get(String url) {
        try {
            PageFetcher.Page page = fetcher.get(url);
            return page.status() == 200 ? page.body() : null;
        } catch (IOException e) {
            return null;
        }
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
        if (path.startsWith("/wp-admin")
                || path.startsWith("/wp-login")
                || path.startsWith("/wp-json")
                || path.contains("/feed")
                || path.matches(".*\\.(xml|jpe?g|png|gif|webp|svg|pdf|zip|css|js)$")) {
            return Optional.empty();
        }
        return Optional.of(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
    }
}
