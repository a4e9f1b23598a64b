package io.stageguard.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.demo.LocalMariaDb;
import io.stageguard.site.DatabaseConnection;
import io.stageguard.site.WordPressTables;
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

    @TempDir static Path work;
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
        assertThat(backedUp.get("term_relationships").keyColumn()).as("a composite key is no integer key").isNull();

        // visitors before the deploy: a comment
        mariaDb.sql("INSERT INTO live.wp_comments (comment_content) VALUES ('before the deploy')");
        Map<String, DatabaseRollback.DeployMark> marks = Map.of(
                "options", new DatabaseRollback.DeployMark("3", "4"), "comments", new DatabaseRollback.DeployMark("3", "3"),
                "greetings", new DatabaseRollback.DeployMark("2", "2"), "links", new DatabaseRollback.DeployMark("1", "1"));
        // the deploy: the greeting plugin's upgrade routine migrates its table, bumps its option and adds one, creates a table
        mariaDb.sql("""
                USE live;
                ALTER TABLE wp_greetings ADD COLUMN mood varchar(20) NOT NULL DEFAULT 'happy', MODIFY message varchar(200) NOT NULL;
                UPDATE wp_greetings SET mood = 'calm';
                UPDATE wp_options SET option_value = '2' WHERE option_name = 'greeting_db';
                INSERT INTO wp_options (option_name, option_value) VALUES ('greeting_installed', 'yes');
                CREATE TABLE wp_greeting_log (id int NOT NULL AUTO_INCREMENT, line text, PRIMARY KEY (id));
                CREATE TABLE wp_greeting_cache (id int NOT NULL AUTO_INCREMENT, line text, PRIMARY KEY (id));
                """);
        // visitors after the deploy: comments, a greeting that fits the old table and one that does not, a transient, a tag on a post
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

        assertThat(report.restored()).containsOnlyKeys("wp_greetings", "wp_options", "wp_term_relationships")
                .containsEntry("wp_greetings", "its schema was changed by the release")
                .containsEntry("wp_options", "rows it held at the backup were changed");
        assertThat(report.untouched()).containsExactlyInAnyOrder("wp_comments", "wp_links");
        assertThat(mariaDb.sql("SELECT comment_content FROM live.wp_comments ORDER BY comment_ID"))
                .isEqualTo("first\nsecond\nbefore the deploy\nafter the push\nand another\n");
        assertThat(mariaDb.sql("SELECT option_name, option_value FROM live.wp_options ORDER BY option_id"))
                .as("the option the release bumped is back, the one it added is gone, the visitor's transient stays")
                .as("and an option deleted and added again since keeps its newer version")
                .isEqualTo("siteurl\thttp://live\ngreeting_db\t1\n_transient_visitor\tx\ncron\ta:1:{}\n");
        assertThat(report.removed()).contains("1 row(s) the deploy wrote in wp_options (option_id [4])", "table wp_greeting_cache (created since the backup, empty)");
        assertThat(mariaDb.sql("SHOW CREATE TABLE live.wp_greetings")).doesNotContain("mood").contains("varchar(20)");
        assertThat(mariaDb.sql("SELECT id, message FROM live.wp_greetings ORDER BY id")).isEqualTo("1\thello\n2\thi\n3\twelcome back\n");
        assertThat(report.notKept()).singleElement().satisfies(line -> assertThat(line).startsWith("row id=4 of wp_greetings: ").contains("message"));
        assertThat(report.setAside()).containsOnly(Map.entry("wp_greetings", "sgrbold_wp_greetings"));
        assertThat(mariaDb.sql("SELECT message FROM live.sgrbold_wp_greetings WHERE id = 4")).as("the row that did not fit is not lost")
                .contains("far longer");
        assertThat(mariaDb.sql("SELECT object_id FROM live.wp_term_relationships ORDER BY object_id")).isEqualTo("1\n2\n3\n");
        assertThat(mariaDb.sql("SELECT line FROM live.wp_greeting_log")).as("a new table holding visitors' rows stays").isEqualTo("logged by a visitor\n");
        assertThat(report.kept()).containsEntry("wp_comments", 3L).containsEntry("wp_greetings", 1L).containsEntry("wp_options", 2L)
                .containsEntry("wp_term_relationships", 1L).containsEntry("wp_greeting_log", 1L);
        assertThat(String.join("\n", report.lines())).contains("restored table wp_greetings (its schema was changed by the release)")
                .contains("kept 3 row(s) written on live since the backup in wp_comments").contains("could NOT keep row id=4 of wp_greetings");
    }

    @Test
    void aTableTheReleaseDroppedComesBackAndAnUntouchedDatabaseIsNotWritten() throws Exception {
        Path dump = work.resolve("database-2.sql");
        Map<String, DatabaseDump.DumpedTable> backedUp = backup(dump);
        mariaDb.sql("DROP TABLE live.wp_links");
        String optionsBefore = mariaDb.sql("SELECT UPDATE_TIME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'live' AND TABLE_NAME = 'wp_options'");

        DatabaseRollback.Report report = rollback(dump, backedUp, Map.of());

        assertThat(report.restored()).containsOnly(Map.entry("wp_links", "gone from live since the backup"));
        assertThat(mariaDb.sql("SELECT link_url FROM live.wp_links")).isEqualTo("http://example.org\n");
        assertThat(report.untouched()).hasSize(4);
        assertThat(report.removed()).isEmpty();
        assertThat(report.notKept()).isEmpty();
        assertThat(mariaDb.sql("SELECT UPDATE_TIME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'live' AND TABLE_NAME = 'wp_options'"))
                .isEqualTo(optionsBefore);
    }

    private static Map<String, DatabaseDump.DumpedTable> backup(Path dump) throws Exception {
        try (Connection c = live.open()) {
            return DatabaseDump.write(c, PREFIX, WordPressTables.list(c, PREFIX), dump);
        }
    }

    private static DatabaseRollback.Report rollback(Path dump, Map<String, DatabaseDump.DumpedTable> backedUp,
                                                    Map<String, DatabaseRollback.DeployMark> marks) throws Exception {
        try (Connection c = live.open()) {
            return DatabaseRollback.rollback(c, dump, PREFIX, backedUp, WordPressTables.list(c, PREFIX), marks);
        }
    }
}
