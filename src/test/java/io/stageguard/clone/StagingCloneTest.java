package io.stageguard.clone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stageguard.demo.LocalMariaDb;
import io.stageguard.demo.LocalWordPress;
import io.stageguard.site.DatabaseConnection;
import io.stageguard.site.PhpProperties;
import io.stageguard.site.Site;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.site.registry.StagingDatabaseMark;
import io.stageguard.site.registry.StagingProof;
import io.stageguard.support.Sha256;
import io.stageguard.testsupport.LiveSnapshot;
import io.stageguard.wordpress.PageFetcher;
import io.stageguard.wordpress.SiteHealthCheck;
import io.stageguard.wordpress.SiteInventoryReader;
import io.stageguard.wordpress.WordPressPhp;
import io.stageguard.wordpress.WordPressTables;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phase 1 against real parts: a live WordPress (Debian's package) on a real MariaDB, seeded with
 * every shape of URL and personal data a real site holds, cloned into a staging copy with another
 * table prefix, then read back by PHP, over JDBC and over HTTP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StagingCloneTest {
    private static final String ADMIN_PASSWORD = "admin-pass-42";
    private static final String TOKEN =
            HexFormat.of().formatHex("staging-credential-for-tests".getBytes(StandardCharsets.UTF_8));
    private static final SanitizeRule SHOP_EMAILS =
            new SanitizeRule("shop_orders", "customer_email", "customer-{key}@example.invalid", "id", null, null);

    @TempDir
    static Path work;

    static LocalMariaDb mariaDb;
    static LocalWordPress.PhpServer liveServer;
    static LocalWordPress.PhpServer stagingServer;
    static Site site;
    static String live;
    static String staging;
    static LiveSnapshot liveBefore;
    static StagingCloner.FileReport fileReport;
    static StagingCloner.DatabaseReport databaseReport;
    static StagingCloner cloner;
    static final PageFetcher fetcher = new PageFetcher();

    @BeforeAll
    static void cloneASeededLiveSite() throws Exception {
        mariaDb = LocalMariaDb.start(work.resolve("mariadb"));
        DatabaseConnection liveDb = mariaDb.createDatabase("shop_live", "shop_live", "live-pw-1", "wp_");
        DatabaseConnection stagingDb = mariaDb.createDatabase("shop_staging", "shop_staging", "staging-pw-2", "stg_");
        int livePort = LocalWordPress.freePort();
        int stagingPort = LocalWordPress.freePort();
        live = "http://127.0.0.1:" + livePort;
        staging = "http://127.0.0.1:" + stagingPort;
        Path liveRoot = work.resolve("live");
        LocalWordPress.install(liveRoot, live, liveDb, "Shop", ADMIN_PASSWORD);
        seed(liveRoot);
        site = new Site(
                "shop",
                new SiteEnvironment(live, liveRoot, liveDb),
                new SiteEnvironment(staging, work.resolve("staging"), stagingDb));
        liveServer = LocalWordPress.serve(liveRoot, livePort);
        // a site that has had visitors has already written its rewrite rules and theme mods
        fetcher.get(live + "/");
        fetcher.get(live + "/blocks/");
        liveBefore = LiveSnapshot.of(site.live());

        cloner = new StagingCloner(
                new CloneProperties(null, null, List.of(SHOP_EMAILS), false, false, null),
                new StagingProof(List::of),
                new WordPressPhp(PhpProperties.defaults()));
        fileReport = cloner.cloneFiles(site, Sha256.of(TOKEN));
        databaseReport = cloner.cloneDatabase(site);
        stagingServer = LocalWordPress.serve(site.staging().documentRoot(), stagingPort);
    }

    /** Every shape a live URL takes in a real database, plus people, a plugin table and files to exclude. */
    private static void seed(Path liveRoot) throws IOException {
        LocalWordPress.php(liveRoot, live, """
                require ABSPATH_DIR . '/wp-load.php';
                global $wpdb;
                $home = home_url();
                update_option('sg_nested', array(
                    'logo' => $home . '/wp-content/uploads/ünïcødé-logo.png',
                    'deep' => array('links' => array($home . '/a', serialize(array('u' => $home . '/b')))),
                    'count' => 7, 'ratio' => 0.5, 'on' => true, 'none' => null,
                    'lookalike' => $home . '0/not-this-site',
                ));
                $wpdb->insert($wpdb->options, array('option_name' => 'sg_widget', 'autoload' => 'no',
                    'option_value' => 'O:7:"WidgetX":2:{s:3:"url";s:' . strlen($home . '/shop') . ':"' . $home . '/shop";s:5:"title";s:4:"Shop";}'));
                kses_remove_filters(); // an editor with unfiltered_html writes block markup as it is
                $post = wp_insert_post(array('post_title' => 'Blocks', 'post_status' => 'publish', 'post_type' => 'page', 'post_name' => 'blocks',
                    'post_content' => '<!-- wp:image {"url":"' . $home . '/img.png"} --><figure><img src="' . $home . '/img.png"/></figure><!-- /wp:image -->'
                        . '<p><a href="//' . parse_url($home, PHP_URL_HOST) . ':' . parse_url($home, PHP_URL_PORT) . '/x">x</a></p>'));
                $wpdb->insert($wpdb->postmeta, array('post_id' => $post, 'meta_key' => '_elementor_data',
                    'meta_value' => json_encode(array(array('settings' => array('link' => array('url' => $home . '/shop'), 'title' => 'Grüße'))))));
                $wpdb->insert($wpdb->postmeta, array('post_id' => $post, 'meta_key' => '_redirect', 'meta_value' => 'next=' . rawurlencode($home . '/cart')));
                $jane = wp_insert_user(array('user_login' => 'jane', 'user_pass' => 'jane-pass', 'user_email' => 'jane@real-people.example',
                    'display_name' => 'Jane Real', 'first_name' => 'Jane', 'last_name' => 'Real', 'role' => 'editor'));
                wp_insert_comment(array('comment_post_ID' => $post, 'comment_author' => 'Visitor', 'comment_author_email' => 'visitor@real-people.example',
                    'comment_author_IP' => '203.0.113.9', 'comment_content' => 'Nice shop', 'comment_approved' => 1));
                $wpdb->query("CREATE TABLE {$wpdb->prefix}shop_orders (id INT PRIMARY KEY, customer_email VARCHAR(100), return_url TEXT) DEFAULT CHARSET=utf8mb4");
                $wpdb->insert($wpdb->prefix . 'shop_orders', array('id' => 1, 'customer_email' => 'buyer@real-people.example', 'return_url' => $home . '/thanks'));
                """);
        Path uploads = liveRoot.resolve("wp-content/uploads/2024");
        Files.createDirectories(uploads);
        Files.writeString(uploads.resolve("a.txt"), "an upload");
        Files.setPosixFilePermissions(uploads.resolve("a.txt"), PosixFilePermissions.fromString("rw-r-----"));
        Files.createSymbolicLink(liveRoot.resolve("wp-content/uploads/latest.txt"), Path.of("2024/a.txt"));
        Files.createDirectories(liveRoot.resolve("wp-content/cache"));
        Files.writeString(liveRoot.resolve("wp-content/cache/page.html"), "stale cache");
        Files.createDirectories(liveRoot.resolve(".git"));
        Files.writeString(liveRoot.resolve(".git/HEAD"), "ref: refs/heads/main");
    }

    @AfterAll
    static void stop() throws IOException {
        if (stagingServer != null) stagingServer.close();
        if (liveServer != null) liveServer.close();
        if (mariaDb != null) mariaDb.close();
        fetcher.close();
    }

    @Test
    @Order(1)
    void everyUnrelatedValueIsCopiedByteForByte() throws Exception {
        String authority = live.substring("http://".length());
        Pattern liveHost = Pattern.compile("(" + Pattern.quote(authority) + "|"
                + Pattern.quote(URLEncoder.encode(authority, StandardCharsets.UTF_8)) + ")(?![0-9])");
        Set<String> sanitized = Set.of(
                "users.user_email",
                "users.display_name",
                "users.user_url",
                "comments.comment_author_email",
                "comments.comment_author_IP",
                "shop_orders.customer_email");
        Set<String> sanitizedKeys = Set.of(
                "nickname", "first_name", "last_name", "description", "admin_email", "new_admin_email", "blog_public");
        List<String> differences = new ArrayList<>();
        try (Connection l = site.live().database().open();
                Connection s = site.staging().database().open()) {
            for (String table : WordPressTables.list(l, "wp_")) {
                String name = table.substring(3);
                List<String> columns = columnNames(l, table);
                List<List<String>> liveRows = rows(l, table);
                List<List<String>> stagingRows = rows(s, "stg_" + name);
                // secondary keys are added after the load; the table must end up exactly as live defines it
                assertThat(WordPressTables.createStatement(s, "stg_" + name)
                                .replace("`stg_" + name + "`", "`" + table + "`"))
                        .as("definition of " + name)
                        .isEqualTo(WordPressTables.createStatement(l, table));
                assertThat(stagingRows).as("rows of " + name).hasSameSizeAs(liveRows);
                for (int r = 0; r < liveRows.size(); r++) {
                    List<String> lr = liveRows.get(r);
                    List<String> sr = stagingRows.get(r);
                    for (int c = 0; c < lr.size(); c++) {
                        String a = lr.get(c);
                        String b = sr.get(c);
                        boolean expectedToChange =
                                a != null && liveHost.matcher(a).find()
                                        || sanitized.contains(name + "." + columns.get(c))
                                        || (name.equals("options") || name.equals("usermeta"))
                                                && lr.stream().anyMatch(sanitizedKeys::contains)
                                        || a != null
                                                && a.startsWith("wp_")
                                                && (name.equals("options") || name.equals("usermeta"));
                        if (!expectedToChange && !java.util.Objects.equals(a, b))
                            differences.add(name + " row " + r + " col " + c + ": " + a + " -> " + b);
                    }
                }
            }
        }
        assertThat(differences).isEmpty();
        assertThat(databaseReport.valuesRewritten()).isGreaterThanOrEqualTo(8);
        assertThat(databaseReport.keysRenamed()).isGreaterThanOrEqualTo(5);
        assertThat(databaseReport.summary()).contains("tables").contains("values rewritten");
    }

    @Test
    @Order(2)
    void urlsAreRewrittenInEveryFormWithoutBreakingSerializedOrJsonValues() throws Exception {
        String out = stagingPhp("""
                $n = get_option('sg_nested');
                echo $n['logo'], "\\n", $n['deep']['links'][0], "\\n", unserialize($n['deep']['links'][1])['u'], "\\n", $n['lookalike'], "\\n";
                echo var_export(array($n['count'], $n['ratio'], $n['on'], $n['none']), true) === var_export(array(7, 0.5, true, null), true) ? 'scalars kept' : 'scalars changed', "\\n";
                $w = unserialize($wpdb->get_var("SELECT option_value FROM {$wpdb->options} WHERE option_name = 'sg_widget'"));
                echo $w === false ? 'widget broken' : ((array) $w)['url'], "\\n";
                $page = get_page_by_path('blocks');
                echo $page->post_content, "\\n";
                $data = json_decode(get_post_meta($page->ID, '_elementor_data', true), true);
                echo $data[0]['settings']['link']['url'], ' ', $data[0]['settings']['title'], "\\n";
                echo get_post_meta($page->ID, '_redirect', true), "\\n";
                echo $page->guid, "\\n";
                $broken = array();
                foreach ($wpdb->get_results("SELECT option_name, option_value FROM {$wpdb->options}") as $o) {
                    if (is_serialized($o->option_value) && @unserialize($o->option_value) === false) $broken[] = $o->option_name;
                }
                foreach ($wpdb->get_results("SELECT meta_key, meta_value FROM {$wpdb->postmeta}") as $m) {
                    if (is_serialized($m->meta_value) && @unserialize($m->meta_value) === false) $broken[] = $m->meta_key;
                }
                echo 'broken: ', implode(',', $broken), "\\n";
                """);
        String stagingHost = staging.substring("http://".length());
        assertThat(out.lines().toList())
                .containsExactly(
                        staging + "/wp-content/uploads/ünïcødé-logo.png",
                        staging + "/a",
                        staging + "/b",
                        live + "0/not-this-site",
                        "scalars kept",
                        staging + "/shop",
                        "<!-- wp:image {\"url\":\"" + staging + "/img.png\"} --><figure><img src=\"" + staging
                                + "/img.png\"/></figure><!-- /wp:image -->" + "<p><a href=\"//" + stagingHost
                                + "/x\">x</a></p>",
                        staging + "/shop Grüße",
                        "next=" + URLEncoder.encode(staging + "/cart", StandardCharsets.UTF_8),
                        live + "/blocks/",
                        "broken: ");
        try (Connection s = site.staging().database().open();
                Statement st = s.createStatement();
                ResultSet rs = st.executeQuery("SELECT return_url FROM stg_shop_orders")) {
            rs.next();
            assertThat(rs.getString(1)).as("plugin tables are rewritten too").isEqualTo(staging + "/thanks");
        }
    }

    @Test
    @Order(3)
    void personalDataIsReplacedButLoginsStayIntact() throws Exception {
        try (Connection s = site.staging().database().open();
                Statement st = s.createStatement()) {
            List<String> users = column(
                    st,
                    "SELECT CONCAT(ID, ' ', user_login, ' ', user_email, ' ', display_name) FROM stg_users ORDER BY ID");
            assertThat(users)
                    .containsExactly("1 admin user-1@example.invalid User 1", "2 jane user-2@example.invalid User 2");
            assertThat(
                            column(
                                    st,
                                    "SELECT meta_value FROM stg_usermeta WHERE user_id = 2 AND meta_key IN ('first_name', 'last_name')"))
                    .containsOnly("");
            assertThat(
                            column(
                                    st,
                                    "SELECT CONCAT(comment_author_email, ' ', comment_author_IP) FROM stg_comments WHERE comment_author = 'Visitor'"))
                    .containsExactly("commenter-2@example.invalid 0.0.0.0");
            assertThat(column(st, "SELECT customer_email FROM stg_shop_orders"))
                    .containsExactly("customer-1@example.invalid");
            assertThat(
                            column(
                                    st,
                                    "SELECT option_value FROM stg_options WHERE option_name IN ('admin_email', 'blog_public') ORDER BY option_name"))
                    .containsExactly("admin@example.invalid", "0");
        }
        assertThat(mariaDb.sql(
                                "SELECT COUNT(*) FROM shop_staging.stg_users s JOIN shop_live.wp_users l ON l.ID = s.ID AND l.user_login = s.user_login AND l.user_pass = s.user_pass")
                        .trim())
                .isEqualTo("2");
        assertThat(databaseReport.sanitized())
                .containsEntry("users.user_email", 2L)
                .containsEntry("shop_orders.customer_email", 1L);
    }

    @Test
    @Order(3)
    void aSiteDatabaseReadThatNeverAnswersEndsInsteadOfHoldingTheStepForEver() throws Exception {
        try (Connection s = site.staging().database().open()) {
            assertThat(s.getNetworkTimeout())
                    .isEqualTo((int) io.stageguard.site.DatabaseConnection.READ_TIMEOUT.toMillis());
        }
    }

    @Test
    @Order(4)
    void filesAreCopiedWithPermissionsAndSymlinksButWithoutCachesAndWithStagingsOwnConfig() throws Exception {
        Path root = site.staging().documentRoot();
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(root.resolve("wp-content/uploads/2024/a.txt"))))
                .isEqualTo("rw-r-----");
        assertThat(Files.isSymbolicLink(root.resolve("wp-content/uploads/latest.txt")))
                .isTrue();
        assertThat(Files.readSymbolicLink(root.resolve("wp-content/uploads/latest.txt")))
                .isEqualTo(Path.of("2024/a.txt"));
        assertThat(root.resolve("wp-content/cache")).doesNotExist();
        assertThat(root.resolve(".git")).doesNotExist();
        String config = Files.readString(root.resolve("wp-config.php"));
        String liveConfig = Files.readString(site.live().documentRoot().resolve("wp-config.php"));
        assertThat(config)
                .contains(
                        "define( 'DB_NAME', 'shop_staging' );",
                        "define( 'WP_ENVIRONMENT_TYPE', 'staging' );",
                        "define( 'DISABLE_WP_CRON', true );",
                        "define( 'WP_HTTP_BLOCK_EXTERNAL', true );",
                        "$table_prefix = 'stg_';",
                        "define( 'STAGEGUARD_ACCESS_SHA256', '" + Sha256.of(TOKEN) + "' );");
        String liveAuthKey = liveConfig.replaceAll("(?s).*define\\( 'AUTH_KEY', '([^']+)'.*", "$1");
        assertThat(config).doesNotContain(liveAuthKey).doesNotContain("live-pw-1");
        assertThat(root.resolve(StagingCloner.GUARD)).isRegularFile();
        assertThat(site.live().documentRoot().resolve(StagingCloner.GUARD)).doesNotExist();
        assertThat(fileReport.files()).isGreaterThan(1000);
    }

    @Test
    @Order(5)
    void strangersAndSearchEnginesAreKeptOutWhileStageguardGetsIn() throws Exception {
        StagingVerifier verifier = new StagingVerifier(new SiteHealthCheck(fetcher), fetcher);
        assertThat(verifier.verify(site, List.of("/", "/blocks/"), Map.of(StagingAccess.HEADER, TOKEN)))
                .isEmpty();

        PageFetcher.Page anonymous = fetcher.get(staging + "/blocks/");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body()).doesNotContain("Blocks");
        assertThat(fetcher.get(staging + "/wp-login.php").status()).isEqualTo(401);
        assertThat(fetcher.get(staging + "/", Map.of(StagingAccess.HEADER, "wrong"))
                        .status())
                .isEqualTo(401);
        PageFetcher.Page admitted = fetcher.get(staging + "/blocks/", Map.of(StagingAccess.HEADER, TOKEN));
        assertThat(admitted.status()).isEqualTo(200);
        assertThat(admitted.header("X-Robots-Tag")).isEqualTo("noindex, nofollow");
        assertThat(fetcher.get(staging + "/robots.txt").body()).isEqualTo("User-agent: *\nDisallow: /\n");
        String basic = "Basic "
                + java.util.Base64.getEncoder().encodeToString(("anyone:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        assertThat(fetcher.get(staging + "/", Map.of("Authorization", basic)).status())
                .as("people use basic auth")
                .isEqualTo(200);
    }

    @Test
    @Order(6)
    void anAdminLogsIntoStagingWithTheRenamedPrefixAndMailIsCapturedNotSent() throws Exception {
        HttpClient browser = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        browser.send(request("/wp-login.php").GET().build(), HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> login = browser.send(
                request("/wp-login.php")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "log=admin&pwd=" + ADMIN_PASSWORD + "&testcookie=1&redirect_to="
                                        + URLEncoder.encode(staging + "/wp-admin/", StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(302);
        HttpResponse<String> dashboard =
                browser.send(request("/wp-admin/").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(dashboard.statusCode()).isEqualTo(200);
        // the Settings and Plugins menus show only to a user whose administrator role was found under the new prefix
        assertThat(dashboard.body())
                .contains("<title>Dashboard")
                .contains("id=\"menu-settings\"", "id=\"menu-plugins\"");

        HttpResponse<String> reset = browser.send(
                request("/wp-login.php?action=lostpassword")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("user_login=jane"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(reset.statusCode())
                .as("WordPress believes the mail went out")
                .isEqualTo(302);
        assertThat(reset.headers().firstValue("Location").orElse("")).contains("checkemail=confirm");
        try (Connection s = site.staging().database().open();
                Statement st = s.createStatement()) {
            assertThat(column(st, "SELECT CONCAT(recipients, ' | ', subject) FROM stg_stageguard_mail"))
                    .singleElement()
                    .asString()
                    .startsWith("user-2@example.invalid | ")
                    .contains("Password Reset");
        }
    }

    @Test
    @Order(7)
    void parityIsReadFromBothSitesAndOnlyConfiguredMismatchesBlock() throws Exception {
        // staging may run another configured PHP runtime: here one with a smaller memory limit than live's
        Path php = work.resolve("php-small-memory");
        Files.writeString(php, "#!/bin/sh\nexec php -d memory_limit=77M \"$@\"\n");
        Files.setPosixFilePermissions(php, PosixFilePermissions.fromString("rwxr-xr-x"));
        SiteInventoryReader reader = new SiteInventoryReader(
                fetcher, new WordPressPhp(new PhpProperties(Map.of("small-memory", php.toString()), null)));
        Map<String, String> access = Map.of(StagingAccess.HEADER, TOKEN);
        ParityReport same = new ParityCheck(reader, new ParityProperties(null), List.of()).check(site, access);
        assertThat(same.items())
                .extracting(ParityReport.Item::item)
                .contains(
                        "wordpress.version",
                        "php.version",
                        "php.minorVersion",
                        "php.extensions",
                        "php.ini.memory_limit",
                        "php.ini.max_execution_time",
                        "php.ini.upload_max_filesize",
                        "php.ini.post_max_size",
                        "database.server",
                        "database.charset",
                        "database.collation",
                        "plugins.active",
                        "theme.active",
                        "wordpress.dropIns",
                        "webServer");
        assertThat(same.items())
                .filteredOn(i -> i.item().equals("wordpress.version"))
                .singleElement()
                .extracting(ParityReport.Item::live)
                .isEqualTo("6.1.9");
        assertThat(same.items())
                .filteredOn(i -> i.item().equals("database.charset"))
                .singleElement()
                .extracting(ParityReport.Item::staging)
                .isEqualTo("utf8mb4");
        assertThat(same.parityIndex()).as(same.summary()).isEqualTo(1.0);
        assertThat(same.blocked()).isFalse();

        SiteEnvironment s = site.staging();
        Site different = new Site(
                site.id(),
                site.live(),
                new SiteEnvironment(s.baseUrl(), s.documentRoot(), s.database(), "small-memory"));
        ParityReport warned = new ParityCheck(reader, new ParityProperties(null), List.of()).check(different, access);
        assertThat(warned.items())
                .filteredOn(i -> !i.matches())
                .singleElement()
                .satisfies(i -> assertThat(i.item()).isEqualTo("php.ini.memory_limit"))
                .satisfies(i -> assertThat(i.staging()).isEqualTo("77M"));
        assertThat(warned.parityIndex()).isLessThan(1.0).isGreaterThan(0.9);
        assertThat(warned.blocked()).isFalse();
        ParityReport blocked = new ParityCheck(reader, new ParityProperties(List.of("php.ini.memory_limit")), List.of())
                .check(different, access);
        assertThat(blocked.blocked()).isTrue();
        assertThat(blocked.summary())
                .contains("blocks the release: php.ini.memory_limit: live ")
                .contains("staging 77M");
    }

    /**
     * The culprit search's reset between trials: staging put back to its snapshot taken right after
     * the clone. What a trial changed, added or removed, in files and rows, is undone; a snapshot of
     * another round is never used.
     */
    @Test
    @Order(8)
    void aSnapshotPutsStagingBackAsItWasAfterTheClone() throws Exception {
        StagingSnapshot snapshots = new StagingSnapshot(new StagingProof(List::of), cloner);
        Path root = site.staging().documentRoot();
        String indexBefore = Files.readString(root.resolve("index.php"));
        List<List<String>> postsBefore;
        List<List<String>> optionsBefore;
        List<String> tablesBefore;
        try (Connection s = site.staging().database().open()) {
            postsBefore = rows(s, "stg_posts");
            optionsBefore = rows(s, "stg_options");
            tablesBefore = WordPressTables.list(s, "stg_");
        }
        assertThat(tablesBefore)
                .as("staging carries its mark, which no snapshot copies")
                .contains("stg_" + StagingDatabaseMark.TABLE);
        StagingSnapshot.Report taken = snapshots.take(site, "rel-snapshot", 2);
        assertThat(taken.tables()).isEqualTo(tablesBefore.size() - 1);

        // a trial: a plugin added, a core file changed, a file removed, rows written and a table created
        Files.createDirectories(root.resolve("wp-content/plugins/trial-added"));
        Files.writeString(
                root.resolve("wp-content/plugins/trial-added/trial-added.php"), "<?php // added by a trial\n");
        Files.writeString(root.resolve("index.php"), "<?php // changed by a trial\n");
        Files.delete(root.resolve("robots.txt"));
        stagingPhp("""
                update_option('blogname', 'Changed in a trial');
                wp_insert_post(array('post_title' => 'Written in a trial', 'post_status' => 'publish'));
                $wpdb->query("CREATE TABLE stg_trial_table (id INT PRIMARY KEY)");
                """);

        snapshots.restore(site, "rel-snapshot", 2);

        assertThat(root.resolve("wp-content/plugins/trial-added")).doesNotExist();
        assertThat(root.resolve("index.php")).content().isEqualTo(indexBefore);
        assertThat(root.resolve("robots.txt")).exists();
        assertThat(StagingProof.carriesMarker(root, site)).isTrue();
        try (Connection s = site.staging().database().open()) {
            assertThat(rows(s, "stg_options")).isEqualTo(optionsBefore);
            assertThat(rows(s, "stg_posts")).isEqualTo(postsBefore);
            assertThat(WordPressTables.list(s, "stg_")).containsExactlyInAnyOrderElementsOf(tablesBefore);
        }
        assertThat(fetcher.get(staging + "/", Map.of(StagingAccess.HEADER, TOKEN))
                        .body())
                .doesNotContain("Changed in a trial");

        assertThatThrownBy(() -> snapshots.restore(site, "rel-snapshot", 3))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No snapshot of staging was taken for round 3 of release rel-snapshot");

        // when a release ends its snapshot goes; another release's is left alone
        Path folder = root.resolveSibling("." + root.getFileName() + ".stageguard-snapshot");
        snapshots.discard(site, "rel-other");
        assertThat(folder).exists();
        snapshots.discard(site, "rel-snapshot");
        assertThat(folder).doesNotExist();
        try (Connection s = site.staging().database().open()) {
            assertThat(WordPressTables.list(s, "sgsnap_")).isEmpty();
            assertThat(WordPressTables.list(s, "stg_")).containsExactlyInAnyOrderElementsOf(tablesBefore);
        }
    }

    @Test
    @Order(9)
    void liveWasOnlyRead() throws Exception {
        assertThat(LiveSnapshot.of(site.live()).differencesFrom(liveBefore)).isEmpty();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(staging + path)).header(StagingAccess.HEADER, TOKEN);
    }

    private static String stagingPhp(String code) throws IOException {
        return LocalWordPress.php(
                site.staging().documentRoot(),
                staging,
                "require ABSPATH_DIR . '/wp-load.php';\nglobal $wpdb;\n" + code);
    }

    private static List<List<String>> rows(Connection c, String table) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM " + WordPressTables.quote(table) + " ORDER BY 1")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) row.add(rs.getString(i));
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<String> columnNames(Connection c, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM " + WordPressTables.quote(table) + " LIMIT 0")) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++)
                names.add(rs.getMetaData().getColumnName(i));
        }
        return names;
    }

    private static List<String> column(Statement st, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) values.add(rs.getString(1));
        }
        return values;
    }
}
