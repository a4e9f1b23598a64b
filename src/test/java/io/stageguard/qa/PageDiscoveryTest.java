package io.stageguard.qa;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.demo.LocalMariaDb;
import io.stageguard.demo.LocalWordPress;
import io.stageguard.site.DatabaseConnection;
import io.stageguard.wordpress.PageFetcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Page discovery on a real WordPress (Debian's 6.1.9 on MariaDB) whose core sitemap is switched
 * off, as SEO plugins do, and whose robots.txt names the SEO plugin's own sitemap index: the posts
 * are found through it and every template the site has is sampled.
 */
class PageDiscoveryTest {
    @TempDir
    static Path work;

    static LocalMariaDb mariaDb;
    static LocalWordPress.PhpServer server;
    static String base;

    @BeforeAll
    static void siteWithoutCoreSitemap() throws Exception {
        mariaDb = LocalMariaDb.start(work.resolve("mariadb"));
        DatabaseConnection db = mariaDb.createDatabase("discovery", "discovery", "discovery-pw", "wp_");
        int port = LocalWordPress.freePort();
        base = "http://127.0.0.1:" + port;
        Path root = work.resolve("site");
        LocalWordPress.install(root, base, db, "Discovery", "discovery-admin-pw");
        // more posts than the front page lists, one with a tag
        String ids = LocalWordPress.php(root, base, """
                require ABSPATH_DIR . '/wp-load.php';
                for ( $i = 1; $i <= 12; $i++ ) {
                    $id = wp_insert_post( array( 'post_title' => "Story $i", 'post_content' => "Story number $i.", 'post_status' => 'publish',
                        'post_author' => 1, 'post_date' => sprintf( '2024-%02d-10 10:00:00', $i ) ) );
                    echo $id, ' ';
                }
                wp_set_post_tags( 1, 'news' );
                """);
        assertThat(ids.trim().split(" ")).hasSize(12);
        Files.createDirectories(root.resolve("wp-content/mu-plugins"));
        Files.writeString(
                root.resolve("wp-content/mu-plugins/no-core-sitemap.php"),
                "<?php add_filter( 'wp_sitemaps_enabled', '__return_false' );\n");
        // the SEO plugin's sitemaps, as files: an index naming one sitemap of posts and one of pages
        Files.createDirectories(root.resolve("seo"));
        Files.writeString(
                root.resolve("robots.txt"),
                "User-agent: *\nDisallow: /wp-admin/\n\nSitemap: " + base + "/seo/index.xml\n");
        Files.writeString(root.resolve("seo/index.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                  <sitemap><loc>%1$s/seo/post-sitemap.xml</loc></sitemap>
                  <sitemap><loc>%1$s/seo/page-sitemap.xml</loc></sitemap>
                </sitemapindex>
                """.formatted(base));
        StringBuilder posts = new StringBuilder();
        for (int i = 1; i <= 12; i++)
            posts.append("<url><loc>").append(base).append("/story-").append(i).append("/</loc></url>\n");
        Files.writeString(
                root.resolve("seo/post-sitemap.xml"),
                "<?xml version=\"1.0\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
                        + "<url><loc>" + base + "/hello-world/</loc></url>\n" + posts + "</urlset>\n");
        Files.writeString(
                root.resolve("seo/page-sitemap.xml"),
                "<?xml version=\"1.0\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
                        + "<url><loc>" + base + "/sample-page/</loc></url>\n</urlset>\n");
        server = LocalWordPress.serve(root, port);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (mariaDb != null) mariaDb.close();
    }

    @Test
    void robotsTxtLeadsToTheSitemapsAndEveryTemplateIsSampled() throws Exception {
        try (PageFetcher fetcher = new PageFetcher()) {
            assertThat(fetcher.get(base + "/wp-sitemap.xml").status())
                    .as("core's sitemap is off")
                    .isNotEqualTo(200);

            PageDiscovery.Sample sample = new PageDiscovery(fetcher).sample(base, java.util.List.of("/"), 12);

            assertThat(sample.sitemaps())
                    .containsExactly(
                            base + "/seo/index.xml", base + "/seo/post-sitemap.xml", base + "/seo/page-sitemap.xml");
            assertThat(sample.coverage())
                    .containsKeys(
                            "front page",
                            "page",
                            "single post",
                            "category archive",
                            "tag archive",
                            "author archive",
                            "date archive",
                            "search results",
                            "404");
            assertThat(sample.coverage().get("page")).isEqualTo("/sample-page/");
            assertThat(sample.paths()).hasSize(12).startsWith("/").doesNotHaveDuplicates();
            // every page once, under the URL it lands on: no page sampled again through a link that redirects to it
            java.util.List<String> landed = new java.util.ArrayList<>();
            for (String path : sample.paths())
                landed.add(fetcher.get(base + path).url());
            assertThat(landed).doesNotHaveDuplicates();
            // the oldest stories are not on the front page: only the sitemap names them
            assertThat(fetcher.get(base + "/").body()).doesNotContain("/story-1/");
            assertThat(sample.paths()).anyMatch(p -> p.matches("/story-\\d+/"));
            // what the checks every site gets build on
            assertThat(sample.features().loginForm()).isTrue();
            // Twenty Twenty-Three shows no search form on these pages: search is checked by its results page
            assertThat(sample.features().searchForm()).isNull();
            assertThat(sample.features().searchFinds()).isTrue();
            assertThat(sample.features().commentPost()).isNotNull();
            assertThat(sample.features().commentAsks()).containsExactly("author", "email");
            assertThat(DefaultChecks.flows(sample.features()))
                    .extracting(io.stageguard.site.UserFlow::name)
                    .containsExactly(
                            "the login form renders", "the search returns results", "the comment form takes a comment");
        }
    }

    @Test
    void theDefaultChecksFollowWhatLiveOffers() {
        // a theme with a search form in its header, comments that ask only for a name, a login page moved away
        List<io.stageguard.site.UserFlow> flows =
                DefaultChecks.flows(new PageDiscovery.Features(true, "/", "/hello-world/", List.of("author"), false));
        assertThat(flows)
                .extracting(io.stageguard.site.UserFlow::name)
                .containsExactly("the search form returns results", "the comment form takes a comment");
        assertThat(flows.get(0).steps())
                .extracting(io.stageguard.site.UserFlow.Step::describe)
                .containsExactly(
                        "visit /",
                        "fill form[role=search] input[name=s] with \"a\"",
                        "submit form[role=search]",
                        "expect element body.search-results");
        assertThat(flows.get(1).steps())
                .extracting(io.stageguard.site.UserFlow.Step::describe)
                .contains("fill #commentform #author with \"Stageguard QA\"")
                .noneMatch(step -> step.contains("#email"));
        assertThat(DefaultChecks.flows(new PageDiscovery.Features(false, null, null, List.of(), false)))
                .as("nothing live offers, nothing checked")
                .isEmpty();
    }

    @Test
    void theTemplateIsWhatWordPressWritesOnTheBody() {
        assertThat(PageDiscovery.template("home blog logged-in")).isEqualTo("front page");
        assertThat(PageDiscovery.template("post-template-default single single-post postid-1 single-format-standard"))
                .isEqualTo("single post");
        assertThat(PageDiscovery.template(
                        "product-template-default single single-product postid-9 woocommerce woocommerce-page"))
                .isEqualTo("single product");
        assertThat(PageDiscovery.template("page-template-default page page-id-2"))
                .isEqualTo("page");
        assertThat(PageDiscovery.template("page-template-default page page-id-7 woocommerce-cart woocommerce-page"))
                .isEqualTo("cart");
        assertThat(PageDiscovery.template(
                        "archive post-type-archive post-type-archive-product woocommerce-shop woocommerce"))
                .isEqualTo("shop");
        assertThat(PageDiscovery.template("archive category category-uncategorized category-1"))
                .isEqualTo("category archive");
        assertThat(PageDiscovery.template("archive tag tag-news tag-2")).isEqualTo("tag archive");
        assertThat(PageDiscovery.template("archive author author-admin author-1"))
                .isEqualTo("author archive");
        assertThat(PageDiscovery.template("archive date")).isEqualTo("date archive");
        assertThat(PageDiscovery.template("archive tax-product_cat term-shoes")).isEqualTo("archive of product_cat");
        assertThat(PageDiscovery.template("search search-results")).isEqualTo("search results");
        assertThat(PageDiscovery.template("error404")).isEqualTo("404");
    }
}
