package io.stageguard.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.demo.LocalMariaDb;
import io.stageguard.site.DatabaseConnection;
import io.stageguard.wordpress.WordPressTables;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database part of a rollback on a real MariaDB: a "live" with WordPress-shaped tables is
 * dumped as the backup does, then changed as a deploy (a migration, an option, a new table) and
 * visitors (comments, users, rows in a plugin's table) would, then rolled back.
 */
class DatabaseRollbackTest {
    private static final String PREFIX = "wp_";
    /** The head of the names under which a rollback keeps the tables it replaced. */
    private static final String COPY = "sgpre_test_";

    @TempDir
    static Path work;

    static LocalMariaDb mariaDb;
    static DatabaseConnection live;

    @BeforeAll
    static void startMariaDb() throws Exception {
        mariaDb = LocalMariaDb.start(work.resolve("mariadb"));
    }

    @AfterAll
    static void stopMariaDb() {
        if (mariaDb != null) mariaDb.close();
    }

    @BeforeEach
    void freshLive() throws Exception {
        live = mariaDb.createDatabase("live", "live", "live", PREFIX);
        mariaDb.sql("""
                USE live;
                CREATE TABLE wp_options (option_id bigint unsigned NOT NULL AUTO_INCREMENT, option_name varchar(191) NOT NULL,
                  option_value longtext NOT NULL, PRIMARY KEY (option_id), UNIQUE KEY option_name (option_name));
                INSERT INTO wp_options (option_name, option_value) VALUES ('siteurl', 'http://live'), ('greeting_db', '1'), ('cron', 'a:0:{}');
                CREATE TABLE wp_comments (comment_ID bigint unsigned NOT NULL AUTO_INCREMENT, comment_content text NOT NULL,
                  comment_date datetime NOT NULL DEFAULT '0000-00-00 00:00:00', PRIMARY KEY (comment_ID));
                INSERT INTO wp_comments (comment_content) VALUES ('first'), ('second');
                CREATE TABLE wp_greetings (id int NOT NULL AUTO_INCREMENT, message varchar(20) NOT NULL, PRIMARY KEY (id));
                INSERT INTO wp_greetings (message) VALUES ('hello'), ('hi');
                CREATE TABLE wp_term_relationships (object_id bigint unsigned NOT NULL, term_taxonomy_id bigint unsigned NOT NULL,
                  term_order int NOT NULL DEFAULT 0, PRIMARY KEY (object_id, term_taxonomy_id));
                INSERT INTO wp_term_relationships VALUES (1, 1, 0), (2, 1, 0);
                CREATE TABLE wp_links (link_id bigint unsigned NOT NULL AUTO_INCREMENT, link_url varchar(255), PRIMARY KEY (link_id));
                INSERT INTO wp_links (link_url) VALUES ('http://example.org');
                """);
    }

    @Test
    void theDeploysChangesGoAndWhatVisitorsWroteSinceStays() throws Exception {
        Path dump = work.resolve("database-1.sql");
        Map<String, DatabaseDump.DumpedTable> backedUp = backup(dump);
        assertThat(backedUp.get("options").keyColumn()).isEqualTo("option_id");
        assertThat(backedUp.get("options").maxKey()).isEqualTo("3");
        assertThat(backedUp.get("term_relationships").keyColumn())
                .as("a composite key is no integer key")
                .isNull();

        // visitors before the deploy: a comment
        mariaDb.sql("INSERT INTO live.wp_comments (comment_content) VALUES ('before the deploy')");
        Deploy deploy = Deploy.begin(backedUp);
        // the deploy: the greeting plugin's upgrade routine migrates its table, bumps its option and adds one, creates
        // a table
        mariaDb.sql("""
                USE live;
                ALTER TABLE wp_greetings ADD COLUMN mood varchar(20) NOT NULL DEFAULT 'happy', MODIFY message varchar(200) NOT NULL;
                UPDATE wp_greetings SET mood = 'calm';
                UPDATE wp_options SET option_value = '2' WHERE option_name = 'greeting_db';
                INSERT INTO wp_options (option_name, option_value) VALUES ('greeting_installed', 'yes');
                CREATE TABLE wp_greeting_log (id int NOT NULL AUTO_INCREMENT, line text, PRIMARY KEY (id));
                CREATE TABLE wp_greeting_cache (id int NOT NULL AUTO_INCREMENT, line text, PRIMARY KEY (id));
                """);
        Map<String, DatabaseRollback.DeployMark> marks = deploy.end();
        assertThat(marks.get("comments").rows())
                .as("the deploy wrote no comment")
                .isEqualTo(DatabaseRollback.DeployedRows.UNTOUCHED);
        assertThat(marks.get("options").rows().kind()).isEqualTo(DatabaseRollback.DeployedRows.Kind.RECORDED);
        // visitors after the deploy: comments, a greeting that fits the old table and one that does not, a transient, a
        // tag on a post
        mariaDb.sql("""
                USE live;
                INSERT INTO wp_comments (comment_content) VALUES ('after the push'), ('and another');
                INSERT INTO wp_greetings (message, mood) VALUES ('welcome back', 'glad');
                INSERT INTO wp_greetings (message, mood) VALUES ('a greeting far longer than twenty characters', 'wordy');
                INSERT INTO wp_options (option_name, option_value) VALUES ('_transient_visitor', 'x');
                DELETE FROM wp_options WHERE option_name = 'cron';
                INSERT INTO wp_options (option_name, option_value) VALUES ('cron', 'a:1:{}');
                INSERT INTO wp_term_relationships VALUES (3, 1, 0);
                INSERT INTO wp_greeting_log (line) VALUES ('logged by a visitor');
                """);

        DatabaseRollback.Report report = rollback(dump, backedUp, marks);

        assertThat(report.restored())
                .containsOnlyKeys("wp_greetings", "wp_options", "wp_term_relationships")
                .containsEntry("wp_greetings", "its schema was changed by the release")
                .containsEntry("wp_options", "rows it held at the backup were changed");
        assertThat(report.untouched()).containsExactlyInAnyOrder("wp_comments", "wp_links");
        assertThat(mariaDb.sql("SELECT comment_content FROM live.wp_comments ORDER BY comment_ID"))
                .isEqualTo("first\nsecond\nbefore the deploy\nafter the push\nand another\n");
        assertThat(mariaDb.sql("SELECT option_name, option_value FROM live.wp_options ORDER BY option_id"))
                .as("the option the release bumped is back, the one it added is gone, the visitor's transient stays")
                .as("and an option deleted and added again since keeps its newer version")
                .isEqualTo("siteurl\thttp://live\ngreeting_db\t1\n_transient_visitor\tx\ncron\ta:1:{}\n");
        assertThat(report.removed())
                .contains(
                        "1 row(s) the deploy wrote in wp_options (option_id [4])",
                        "table wp_greeting_cache (created since the backup, empty)");
        assertThat(mariaDb.sql("SHOW CREATE TABLE live.wp_greetings"))
                .doesNotContain("mood")
                .contains("varchar(20)");
        assertThat(mariaDb.sql("SELECT id, message FROM live.wp_greetings ORDER BY id"))
                .isEqualTo("1\thello\n2\thi\n3\twelcome back\n");
        assertThat(report.notKept())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("row id=4 of wp_greetings: ")
                        .contains("message"));
        assertThat(report.preRollback())
                .as("every replaced table is kept as it was before the rollback")
                .containsOnly(
                        Map.entry("wp_greetings", COPY + "wp_greetings"),
                        Map.entry("wp_options", COPY + "wp_options"),
                        Map.entry("wp_term_relationships", COPY + "wp_term_relationships"));
        assertThat(mariaDb.sql("SELECT message FROM live." + COPY + "wp_greetings WHERE id = 4"))
                .as("the row that did not fit is not lost")
                .contains("far longer");
        assertThat(report.putBack())
                .containsExactly(
                        "2 row(s) of wp_greetings the deploy changed (it migrated the table), as the backup holds them",
                        "the row the deploy changed in wp_options option_id=2 (column(s) option_value)");
        assertThat(report.keptEdits())
                .as("the visitor's deletion of the cron option (added again since)")
                .containsExactly("deletion of wp_options option_id=3 (the deploy had not touched it)");
        assertThat(mariaDb.sql("SELECT object_id FROM live.wp_term_relationships ORDER BY object_id"))
                .isEqualTo("1\n2\n3\n");
        assertThat(mariaDb.sql("SELECT line FROM live.wp_greeting_log"))
                .as("a new table holding visitors' rows stays")
                .isEqualTo("logged by a visitor\n");
        assertThat(report.kept())
                .containsEntry("wp_comments", 3L)
                .containsEntry("wp_greetings", 1L)
                .containsEntry("wp_options", 2L)
                .containsEntry("wp_term_relationships", 1L)
                .containsEntry("wp_greeting_log", 1L);
        assertThat(String.join("\n", report.lines()))
                .contains("restored table wp_greetings (its schema was changed by the release)")
                .contains("kept 3 row(s) written on live since the backup in wp_comments")
                .contains("could NOT keep row id=4 of wp_greetings");
    }

    /**
     * A shop during the watch window: an order goes to processing, stock drops, the tagline is
     * edited, a review approved, an order placed, a transient deleted; the release had bumped its
     * own options and one option a shop manager then edited too. Every edit of a row the deploy did
     * not touch survives the rollback; the one row both changed goes back and is reported by key,
     * with live's version in the kept copy of the table.
     */
    @Test
    void editsToExistingRowsDuringTheWatchWindowSurviveOrAreReportedByKey() throws Exception {
        mariaDb.sql("""
                USE live;
                DROP TABLE wp_options, wp_comments;
                CREATE TABLE wp_options (option_id bigint unsigned NOT NULL AUTO_INCREMENT, option_name varchar(191) NOT NULL,
                  option_value longtext NOT NULL, autoload varchar(20) NOT NULL DEFAULT 'yes', PRIMARY KEY (option_id), UNIQUE KEY option_name (option_name));
                INSERT INTO wp_options (option_name, option_value) VALUES ('blogdescription', 'Just another shop'), ('woocommerce_version', '8.0.0'),
                  ('woocommerce_db_version', '8.0.0'), ('woocommerce_permalinks', 'a:1:{s:12:"product_base";s:7:"product";}'), ('_transient_wc_count', '3');
                CREATE TABLE wp_posts (ID bigint unsigned NOT NULL AUTO_INCREMENT, post_title text NOT NULL, post_status varchar(20) NOT NULL DEFAULT 'publish',
                  post_type varchar(20) NOT NULL DEFAULT 'post', PRIMARY KEY (ID), KEY type_status (post_type, post_status));
                INSERT INTO wp_posts (post_title, post_status, post_type) VALUES ('Coffee beans', 'publish', 'product'),
                  ('Order &ndash; December 6', 'wc-pending', 'shop_order'), ('Shop', 'publish', 'page');
                CREATE TABLE wp_postmeta (meta_id bigint unsigned NOT NULL AUTO_INCREMENT, post_id bigint unsigned NOT NULL DEFAULT 0,
                  meta_key varchar(255), meta_value longtext, PRIMARY KEY (meta_id), KEY post_id (post_id));
                INSERT INTO wp_postmeta (post_id, meta_key, meta_value) VALUES (1, '_stock', '10'), (1, '_price', '12.50'), (2, '_order_total', '25.00');
                CREATE TABLE wp_comments (comment_ID bigint unsigned NOT NULL AUTO_INCREMENT, comment_post_ID bigint unsigned NOT NULL DEFAULT 0,
                  comment_content text NOT NULL, comment_approved varchar(20) NOT NULL DEFAULT '1', comment_type varchar(20) NOT NULL DEFAULT 'comment',
                  PRIMARY KEY (comment_ID));
                INSERT INTO wp_comments (comment_post_ID, comment_content, comment_approved, comment_type) VALUES (1, 'Great beans', '0', 'review');
                CREATE TABLE wp_wc_orders (id bigint unsigned NOT NULL, status varchar(20), total_amount decimal(26,8), PRIMARY KEY (id));
                INSERT INTO wp_wc_orders VALUES (2, 'wc-pending', 25.00);
                CREATE TABLE wp_wc_product_meta_lookup (product_id bigint NOT NULL, stock_quantity double, PRIMARY KEY (product_id));
                INSERT INTO wp_wc_product_meta_lookup VALUES (1, 10);
                """);
        Path dump = work.resolve("database-shop.sql");
        Map<String, DatabaseDump.DumpedTable> backedUp = backup(dump);
        Deploy deploy = Deploy.begin(backedUp);
        // the deploy: WooCommerce 8.1's update routine bumps its versions, rewrites its permalinks and adds an option
        mariaDb.sql("""
                USE live;
                UPDATE wp_options SET option_value = '8.1.0' WHERE option_name IN ('woocommerce_version', 'woocommerce_db_version');
                UPDATE wp_options SET option_value = 'a:1:{s:12:"product_base";s:5:"/shop";}' WHERE option_name = 'woocommerce_permalinks';
                INSERT INTO wp_options (option_name, option_value) VALUES ('woocommerce_new_checkout', 'yes');
                """);
        Map<String, DatabaseRollback.DeployMark> marks = deploy.end();
        // the watch window: the shop goes on
        mariaDb.sql("""
                USE live;
                UPDATE wp_posts SET post_status = 'wc-processing' WHERE ID = 2;
                UPDATE wp_wc_orders SET status = 'wc-processing' WHERE id = 2;
                UPDATE wp_postmeta SET meta_value = '9' WHERE post_id = 1 AND meta_key = '_stock';
                UPDATE wp_wc_product_meta_lookup SET stock_quantity = 9 WHERE product_id = 1;
                UPDATE wp_options SET option_value = 'Fresh coffee, roasted daily' WHERE option_name = 'blogdescription';
                UPDATE wp_comments SET comment_approved = '1' WHERE comment_ID = 1;
                DELETE FROM wp_options WHERE option_name = '_transient_wc_count';
                UPDATE wp_options SET option_value = 'a:1:{s:12:"product_base";s:6:"/beans";}' WHERE option_name = 'woocommerce_permalinks';
                INSERT INTO wp_posts (post_title, post_status, post_type) VALUES ('Order &ndash; December 7', 'wc-processing', 'shop_order');
                INSERT INTO wp_wc_orders VALUES (4, 'wc-processing', 12.50);
                INSERT INTO wp_postmeta (post_id, meta_key, meta_value) VALUES (4, '_order_total', '12.50');
                """);

        DatabaseRollback.Report report = rollback(dump, backedUp, marks);

        assertThat(mariaDb.sql("SELECT ID, post_status FROM live.wp_posts ORDER BY ID"))
                .as("the order's new status and the new order stay")
                .isEqualTo("1\tpublish\n2\twc-processing\n3\tpublish\n4\twc-processing\n");
        assertThat(mariaDb.sql("SELECT id, status FROM live.wp_wc_orders ORDER BY id"))
                .isEqualTo("2\twc-processing\n4\twc-processing\n");
        assertThat(mariaDb.sql("SELECT meta_value FROM live.wp_postmeta WHERE post_id = 1 AND meta_key = '_stock'"))
                .as("stock")
                .isEqualTo("9\n");
        assertThat(mariaDb.sql("SELECT stock_quantity FROM live.wp_wc_product_meta_lookup"))
                .isEqualTo("9\n");
        assertThat(mariaDb.sql("SELECT comment_approved FROM live.wp_comments"))
                .as("the approved review")
                .isEqualTo("1\n");
        assertThat(mariaDb.sql("SELECT option_name, option_value FROM live.wp_options ORDER BY option_id"))
                .as("the tagline stays edited, the "
                        + "transient deleted; the release's versions and its permalinks go back, its new option goes")
                .isEqualTo("""
                blogdescription\tFresh coffee, roasted daily
                woocommerce_version\t8.0.0
                woocommerce_db_version\t8.0.0
                woocommerce_permalinks\ta:1:{s:12:"product_base";s:7:"product";}
                """);
        assertThat(report.keptEdits())
                .containsExactlyInAnyOrder(
                        "edit of wp_options option_id=1 (column(s) option_value; the deploy had not touched it)",
                        "deletion of wp_options option_id=5 (the deploy had not touched it)",
                        "edit of wp_posts ID=2 (column(s) post_status; the deploy had not touched it)",
                        "edit of wp_wc_orders id=2 (column(s) status; the deploy had not touched it)",
                        "edit of wp_postmeta meta_id=1 (column(s) meta_value; the deploy had not touched it)",
                        "edit of wp_wc_product_meta_lookup product_id=1 (column(s) stock_quantity; the deploy had not touched it)",
                        "edit of wp_comments comment_ID=1 (column(s) comment_approved; the deploy had not touched it)");
        assertThat(report.putBack())
                .containsExactly(
                        "the row the deploy changed in wp_options option_id=2 (column(s) option_value)",
                        "the row the deploy changed in wp_options option_id=3 (column(s) option_value)");
        assertThat(report.notKept())
                .singleElement()
                .isEqualTo("live's edit of wp_options option_id=4 (column(s) option_value): the deploy changed "
                        + "it too; the row is back as backed up, live's version is in " + COPY + "wp_options");
        assertThat(mariaDb.sql("SELECT option_value FROM live." + COPY + "wp_options WHERE option_id = 4"))
                .as("the manager's permalinks are kept aside")
                .isEqualTo("a:1:{s:12:\"product_base\";s:6:\"/beans\";}\n");
        assertThat(report.removed()).containsExactly("1 row(s) the deploy wrote in wp_options (option_id [6])");
        assertThat(report.preRollback())
                .containsOnlyKeys(
                        "wp_comments",
                        "wp_options",
                        "wp_posts",
                        "wp_postmeta",
                        "wp_wc_orders",
                        "wp_wc_product_meta_lookup");
        assertThat(String.join("\n", report.lines()))
                .contains("kept live's edit of wp_posts ID=2 (column(s) post_status")
                .contains("could NOT keep live's edit of wp_options option_id=4")
                .contains("wp_options as it was before the rollback is kept as " + COPY
                        + "wp_options until the backup's retention ends");
    }

    @Test
    void aTableTheReleaseDroppedComesBackAndAnUntouchedDatabaseIsNotWritten() throws Exception {
        Path dump = work.resolve("database-2.sql");
        Map<String, DatabaseDump.DumpedTable> backedUp = backup(dump);
        mariaDb.sql("DROP TABLE live.wp_links");
        String optionsBefore = mariaDb.sql(
                "SELECT UPDATE_TIME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'live' AND TABLE_NAME = 'wp_options'");

        DatabaseRollback.Report report =
                rollback(dump, backedUp, Deploy.begin(backedUp).end());

        assertThat(report.restored()).containsOnly(Map.entry("wp_links", "gone from live since the backup"));
        assertThat(mariaDb.sql("SELECT link_url FROM live.wp_links")).isEqualTo("http://example.org\n");
        assertThat(report.untouched()).hasSize(4);
        assertThat(report.removed()).isEmpty();
        assertThat(report.notKept()).isEmpty();
        assertThat(
                        mariaDb.sql(
                                "SELECT UPDATE_TIME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'live' AND TABLE_NAME = 'wp_options'"))
                .isEqualTo(optionsBefore);
    }

    private static Map<String, DatabaseDump.DumpedTable> backup(Path dump) throws Exception {
        try (Connection c = live.open()) {
            return DatabaseDump.write(c, PREFIX, WordPressTables.list(c, PREFIX), dump);
        }
    }

    private static DatabaseRollback.Report rollback(
            Path dump, Map<String, DatabaseDump.DumpedTable> backedUp, Map<String, DatabaseRollback.DeployMark> marks)
            throws Exception {
        try (Connection c = live.open()) {
            return DatabaseRollback.rollback(c, dump, PREFIX, backedUp, WordPressTables.list(c, PREFIX), marks, COPY);
        }
    }

    /** The marks {@link DeployMarks} takes around a deploy, taken the same way on the test's live. */
    private record Deploy(
            Map<String, DatabaseDump.DumpedTable> backedUp,
            Map<String, String> keysBefore,
            Map<String, String> checksumsBefore) {
        static Deploy begin(Map<String, DatabaseDump.DumpedTable> backedUp) throws Exception {
            Map<String, String> keys = new java.util.HashMap<>();
            Map<String, String> checksums = new java.util.HashMap<>();
            try (Connection c = live.open()) {
                for (var table : backedUp.entrySet()) {
                    keys.put(table.getKey(), highestKey(c, table.getKey(), table.getValue()));
                    checksums.put(table.getKey(), RowHashes.checksum(c, PREFIX + table.getKey()));
                }
            }
            return new Deploy(backedUp, keys, checksums);
        }

        Map<String, DatabaseRollback.DeployMark> end() throws Exception {
            Map<String, DatabaseRollback.DeployMark> marks = new java.util.TreeMap<>();
            try (Connection c = live.open()) {
                for (var table : backedUp.entrySet()) {
                    marks.put(
                            table.getKey(),
                            new DatabaseRollback.DeployMark(
                                    keysBefore.get(table.getKey()),
                                    highestKey(c, table.getKey(), table.getValue()),
                                    DatabaseRollback.DeployedRows.observe(
                                            c,
                                            PREFIX + table.getKey(),
                                            checksumsBefore.get(table.getKey()),
                                            table.getValue())));
                }
            }
            return marks;
        }

        private static String highestKey(Connection c, String table, DatabaseDump.DumpedTable then) throws Exception {
            if (then.keyColumn() == null || !WordPressTables.exists(c, PREFIX + table)) return null;
            try (var st = c.createStatement();
                    var rs = st.executeQuery("SELECT MAX(" + then.keyColumn() + ") FROM " + PREFIX + table)) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
