package io.stageguard.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.site.DatabaseConnection;
import io.stageguard.site.SiteEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an interrupted install or restore left beside live's folders goes, and nothing else: only
 * names Stageguard itself gives, only beside the site's own folders, and a link by that name is
 * removed as a link, never what it points to.
 */
class LiveLeftoversTest {
    @TempDir
    Path work;

    @Test
    void onlyStageguardsOwnLeftoversGoAndALinkNeverLeadsTheDeletionElsewhere() throws Exception {
        Path root = work.resolve("live");
        Path plugins = Files.createDirectories(root.resolve("wp-content/plugins"));
        Files.createDirectories(root.resolve("wp-content/themes/.stageguard-next-twentytwentythree"));
        Files.writeString(
                Files.createDirectories(plugins.resolve(".stageguard-next-shop"))
                        .resolve("shop.php"),
                "<?php // the old version");
        Files.writeString(
                Files.createDirectories(plugins.resolve("shop")).resolve("shop.php"), "<?php // the live version");
        Files.writeString(root.resolve(".stageguard-next-wp-config.php"), "<?php");
        Files.writeString(root.resolve("wp-config.php"), "<?php");
        Path elsewhere = Files.createDirectories(work.resolve("another-site/wp-content/plugins/shop"));
        Files.writeString(elsewhere.resolve("shop.php"), "<?php // not this site's");
        Files.createSymbolicLink(plugins.resolve(".stageguard-restore-shop"), elsewhere);
        Files.writeString(
                Files.createDirectories(plugins.resolve("shop/.stageguard-next-inner"))
                        .resolve("x"),
                "a plugin's own folder is not looked into");

        var removed = LiveLeftovers.remove(new SiteEnvironment(
                "http://127.0.0.1:9", root, new DatabaseConnection("127.0.0.1", 9, "live", "u", "p", "wp_")));

        assertThat(removed)
                .extracting(p -> root.relativize(p).toString())
                .containsExactlyInAnyOrder(
                        ".stageguard-next-wp-config.php",
                        "wp-content/plugins/.stageguard-next-shop",
                        "wp-content/plugins/.stageguard-restore-shop",
                        "wp-content/themes/.stageguard-next-twentytwentythree");
        assertThat(elsewhere.resolve("shop.php")).as("the link's target").hasContent("<?php // not this site's");
        assertThat(plugins.resolve("shop/shop.php")).hasContent("<?php // the live version");
        assertThat(plugins.resolve("shop/.stageguard-next-inner/x")).exists();
        assertThat(root.resolve("wp-config.php")).exists();
    }
}
