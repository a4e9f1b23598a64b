package io.stageguard.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.demo.LocalMariaDb;
import io.stageguard.demo.LocalWordPress;
import io.stageguard.demo.Processes;
import io.stageguard.site.DatabaseConnection;
import io.stageguard.site.PhpProperties;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.testsupport.WordPressReleases;
import io.stageguard.wordpress.SiteInventoryReader;
import io.stageguard.wordpress.WordPressPhp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phase 2's core update, measured: {@link CoreUpdater} taking Debian's WordPress 6.1.9 to a real
 * 6.5.5 (requirements checked, the release unpacked beside, swapped in, old files removed,
 * {@code wp_upgrade()}), against, in the same run on a second 6.1.9 install, the bare minimum:
 * {@code cp -a} of the 6.5.5 tree over it and {@code wp_upgrade()} alone. Run with
 * {@code ./stageguard bench}; figures go to target/benchmark/core-update.txt.
 */
@Tag("benchmark")
class CoreUpdateBenchmark {
    private static final String UPGRADE = """
            require ABSPATH_DIR . '/wp-load.php';
            require_once ABSPATH . 'wp-admin/includes/upgrade.php';
            wp_upgrade();
            echo get_option( 'db_version' );
            """;

    @TempDir
    static Path work;

    @Test
    void coreUpdateAgainstCopyAndUpgradeAlone() throws Exception {
        Path zip = WordPressReleases.zip("6.5", work.resolve("core"));
        Path tree = work.resolve("tree");
        long u0 = System.nanoTime();
        PackageInstaller.unpack(zip, Change.CORE_SLUG, tree);
        long unpackMillis = (System.nanoTime() - u0) / 1_000_000;
        WordPressPhp php = new WordPressPhp(PhpProperties.defaults());
        try (LocalMariaDb mariaDb = LocalMariaDb.start(work.resolve("mariadb"))) {
            SiteEnvironment updated = site(mariaDb, "updated");
            long t0 = System.nanoTime();
            CoreUpdater.CoreUpdate update =
                    new CoreUpdater(php).update(updated, new Change(ChangeType.CORE, null, "6.5.5", zip.toString()));
            long updateMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(update.dbVersionAfter()).isEqualTo("57155");

            SiteEnvironment copied = site(mariaDb, "copied");
            long t1 = System.nanoTime();
            Processes.run(List.of("cp", "-a", tree + "/.", copied.documentRoot().toString()), null);
            long copyMillis = (System.nanoTime() - t1) / 1_000_000;
            long t2 = System.nanoTime();
            String dbVersion = php.run(copied, UPGRADE).strip();
            long upgradeMillis = (System.nanoTime() - t2) / 1_000_000;
            assertThat(dbVersion).isEqualTo("57155");
            assertThat(SiteInventoryReader.wordpressVersion(copied.documentRoot()))
                    .isEqualTo("6.5.5");

            long baseline = copyMillis + upgradeMillis;
            StringBuilder report = new StringBuilder();
            report.append("Core update benchmark: WordPress 6.1.9 (Debian) to 6.5.5, one run\n\n");
            report.append(String.format(
                    Locale.ROOT, "baseline  cp -a of the 6.5.5 tree over the site   %6d ms%n", copyMillis));
            report.append(String.format(
                    Locale.ROOT, "baseline  wp_upgrade() alone                     %6d ms%n", upgradeMillis));
            report.append(String.format(
                    Locale.ROOT, "baseline  together                               %6d ms%n%n", baseline));
            report.append(String.format(
                    Locale.ROOT,
                    "CoreUpdater.update (checks, unpack beside, swaps, %d old files removed, wp_upgrade())  %6d ms   %.2fx the baseline%n",
                    update.removed().size(),
                    updateMillis,
                    (double) updateMillis / baseline));
            report.append(String.format(
                    Locale.ROOT,
                    "for reference: unpacking the release zip alone, as CoreUpdater does first            %6d ms%n",
                    unpackMillis));
            Path out = Path.of("target/benchmark/core-update.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report, StandardCharsets.UTF_8);
            System.out.println(report);
        }
    }

    private static SiteEnvironment site(LocalMariaDb mariaDb, String name) throws Exception {
        DatabaseConnection db = mariaDb.createDatabase(name, name, name + "-password", "wp_");
        Path root = work.resolve(name);
        String url = "http://127.0.0.1:" + LocalWordPress.freePort();
        LocalWordPress.install(root, url, db, "Benchmark " + name, "admin-password");
        return new SiteEnvironment(url, root, db);
    }
}
