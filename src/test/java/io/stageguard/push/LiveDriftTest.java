package io.stageguard.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.demo.LocalMariaDb;
import io.stageguard.demo.LocalWordPress;
import io.stageguard.site.DatabaseConnection;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.update.Change;
import io.stageguard.update.ChangeType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The drift check on a real WordPress and MariaDB: live as it was when the release was tested
 * passes; a changed plugin folder, a plugin that appeared, a WordPress update and a database
 * upgrade on live are each named.
 */
class LiveDriftTest {
    @TempDir
    static Path work;

    static LocalMariaDb mariaDb;
    static SiteEnvironment live;
    static LiveDrift drift;

    @BeforeAll
    static void liveSite() throws Exception {
        mariaDb = LocalMariaDb.start(work.resolve("mariadb"));
        DatabaseConnection db = mariaDb.createDatabase("drift_live", "drift_live", "drift-pw", "wp_");
        Path root = work.resolve("live");
        LocalWordPress.install(root, "http://127.0.0.1:" + LocalWordPress.freePort(), db, "Drift", "admin-pw");
        live = new SiteEnvironment("http://127.0.0.1:1", root, db);
        Files.createDirectories(root.resolve("wp-content/plugins/shop"));
        Files.writeString(
                root.resolve("wp-content/plugins/shop/shop.php"), "<?php /* Plugin Name: Shop Version: 1.0 */");
        DataSource stageguardDb = new DriverManagerDataSource("jdbc:h2:mem:drift;DB_CLOSE_DELAY=-1", "sa", "");
        new JdbcTemplate(stageguardDb)
                .execute(
                        "create table sg_live_baseline (release_id varchar(64) primary key, baseline clob not null, taken_at timestamp not null)");
        drift = new LiveDrift(new JdbcTemplate(stageguardDb));
    }

    @AfterAll
    static void stop() {
        mariaDb.close();
    }

    private static List<Change> changes() {
        return List.of(
                new Change(ChangeType.PLUGIN, "shop", "1.1", "/tmp/shop.zip"),
                new Change(ChangeType.PLUGIN, "fresh", "1.0", "/tmp/fresh.zip"));
    }

    private static List<String> folders() {
        return changes().stream().map(Change::targetFolder).toList();
    }

    @Test
    void liveAsTestedPassesAndEveryKindOfChangeIsNamed() throws Exception {
        drift.recordBaseline("rel-drift", live, changes());
        assertThat(drift.since("rel-drift", live, folders()))
                .as("nothing changed")
                .isEmpty();

        Files.writeString(
                live.documentRoot().resolve("wp-content/plugins/shop/shop.php"),
                "<?php /* Plugin Name: Shop Version: 1.0.1 */");
        Files.createDirectories(live.documentRoot().resolve("wp-content/plugins/fresh"));
        Files.writeString(
                live.documentRoot().resolve("wp-content/plugins/fresh/fresh.php"), "<?php /* Plugin Name: Fresh */");
        Path version = live.documentRoot().resolve("wp-includes/version.php");
        Files.writeString(
                version, Files.readString(version).replaceFirst("\\$wp_version = '[^']+'", "\\$wp_version = '6.1.99'"));
        mariaDb.sql("UPDATE drift_live.wp_options SET option_value = '99999' WHERE option_name = 'db_version'");

        assertThat(drift.since("rel-drift", live, folders()))
                .containsExactlyInAnyOrder(
                        "wp-content/plugins/shop: its files changed on live",
                        "wp-content/plugins/fresh: appeared on live",
                        "wordpress.version: was 6.1.9, is 6.1.99",
                        "database.db_version: was 53496, is 99999");
    }
}
