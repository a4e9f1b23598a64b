package io.stageguard.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.demo.LocalMariaDb;
import io.stageguard.demo.Processes;
import io.stageguard.site.DatabaseConnection;
import io.stageguard.support.Sha256;
import io.stageguard.wordpress.WordPressTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phase 6's promise, measured: the restore of a release's backup (a plugin of about 50 MB and a
 * database with a 1M-row table) with Stageguard's code ({@link LiveBackup#restoreFiles},
 * {@link DatabaseRollback}), against, in the same run, {@code cp -a} of the same folder and a plain
 * {@code mariadb < dump} of the same database into an empty one. Two deploys are undone: one that
 * changed the plugin, an option and a small table's schema (the usual plugin update), and one that
 * migrated the 1M-row table itself. Both times visitors wrote rows after the push, which the
 * rollback keeps. Run with {@code ./stageguard bench}; figures go to target/benchmark/rollback.txt.
 */
@Tag("benchmark")
class RollbackBenchmark {
    private static final int ROWS = Integer.getInteger("bench.rollback.rows", 1_000_000);
    private static final int MEGABYTES = Integer.getInteger("bench.rollback.megabytes", 50);
    private static final String PLUGIN = "wp-content/plugins/sg-big";

    @TempDir
    static Path work;

    private record Undone(String deploy, long filesMillis, long databaseMillis, DatabaseRollback.Report report) {}

    @Test
    void restoreAgainstCopyAndPlainImport() throws Exception {
        try (LocalMariaDb mariaDb = LocalMariaDb.start(work.resolve("mariadb"))) {
            DatabaseConnection live = mariaDb.createDatabase("live", "live", "live", "wp_");
            mariaDb.sql("USE live;"
                    + "CREATE TABLE wp_options (option_id bigint unsigned NOT NULL AUTO_INCREMENT, option_name varchar(191) NOT NULL,"
                    + " option_value longtext NOT NULL, autoload varchar(20) NOT NULL DEFAULT 'yes', PRIMARY KEY (option_id), UNIQUE KEY option_name (option_name));"
                    + "INSERT INTO wp_options (option_name, option_value) SELECT CONCAT('option_', seq), REPEAT('x', 200) FROM seq_1_to_300;"
                    + "CREATE TABLE wp_sg_big_log (id int NOT NULL AUTO_INCREMENT, line varchar(200) NOT NULL, PRIMARY KEY (id));"
                    + "INSERT INTO wp_sg_big_log (line) SELECT CONCAT('line ', seq) FROM seq_1_to_1000;"
                    + "CREATE TABLE wp_postmeta (meta_id bigint unsigned NOT NULL AUTO_INCREMENT, post_id bigint unsigned NOT NULL DEFAULT 0,"
                    + " meta_key varchar(255) DEFAULT NULL, meta_value longtext, PRIMARY KEY (meta_id), KEY post_id (post_id), KEY meta_key (meta_key(191)));"
                    + "INSERT INTO wp_postmeta (post_id, meta_key, meta_value) SELECT seq DIV 10, CONCAT('_field_', seq MOD 10), REPEAT(MD5(seq), 2)"
                    + " FROM seq_1_to_" + ROWS + ";");
            Path root = work.resolve("live");
            Path plugin = root.resolve(PLUGIN);
            writePlugin(plugin, new Random(7));
            String pluginBefore = Sha256.ofTree(plugin);

            // the backup, as LiveBackup takes it
            Path backup = work.resolve("backup");
            LiveBackup.backupFiles(backup, root, List.of(PLUGIN));
            Map<String, DatabaseDump.DumpedTable> tables;
            try (Connection c = live.open()) {
                tables = DatabaseDump.write(c, "wp_", WordPressTables.list(c, "wp_"), backup.resolve("database.sql"));
            }

            long copyMillis = millis(() -> Processes.run(
                    List.of(
                            "cp",
                            "-a",
                            plugin.toString(),
                            work.resolve("cp-copy").toString()),
                    work));
            mariaDb.createDatabase("plain", "plain", "plain", "wp_");
            long importMillis = millis(() -> plainImport(mariaDb.port(), backup.resolve("database.sql")));

            Undone usual = undo(
                    mariaDb,
                    live,
                    root,
                    backup,
                    tables,
                    "the plugin, one option and a small table's schema",
                    "UPDATE wp_options SET option_value = '2' WHERE option_name = 'option_1';"
                            + "ALTER TABLE wp_sg_big_log ADD COLUMN level varchar(10) NOT NULL DEFAULT 'info';");
            assertThat(Sha256.ofTree(plugin)).isEqualTo(pluginBefore);
            assertThat(usual.report().restored()).containsOnlyKeys("wp_options", "wp_sg_big_log");
            assertThat(usual.report().kept()).containsEntry("wp_postmeta", 1000L);

            Undone migration = undo(
                    mariaDb,
                    live,
                    root,
                    backup,
                    tables,
                    "the plugin and the " + ROWS + "-row table's schema",
                    "ALTER TABLE wp_postmeta ADD COLUMN sg_flag tinyint NOT NULL DEFAULT 0;");
            assertThat(Sha256.ofTree(plugin)).isEqualTo(pluginBefore);
            assertThat(migration.report().restored()).containsOnlyKeys("wp_postmeta");
            assertThat(migration.report().kept()).containsEntry("wp_postmeta", 2000L);
            assertThat(migration.report().notKept()).isEmpty();
            assertThat(mariaDb.sql("SELECT COUNT(*) FROM live.wp_postmeta").trim())
                    .isEqualTo(String.valueOf(ROWS + 2000));

            StringBuilder report = new StringBuilder();
            report.append(String.format(
                    Locale.ROOT,
                    "Rollback benchmark: a plugin of %d MB and a database with a %d-row table, one run%n%n",
                    MEGABYTES,
                    ROWS));
            report.append(
                    String.format(Locale.ROOT, "baseline  cp -a of the plugin folder            %7d ms%n", copyMillis));
            report.append(String.format(
                    Locale.ROOT, "baseline  mariadb < dump (the whole database)   %7d ms%n%n", importMillis));
            for (Undone undone : List.of(usual, migration)) {
                report.append("deploy changed ")
                        .append(undone.deploy())
                        .append("; visitors wrote 1000 rows after it\n");
                report.append(String.format(
                        Locale.ROOT,
                        "  files back (swapped in)     %7d ms   %.2fx cp -a%n",
                        undone.filesMillis(),
                        ratio(undone.filesMillis(), copyMillis)));
                report.append(String.format(
                        Locale.ROOT,
                        "  database part               %7d ms   %.2fx the plain import%n",
                        undone.databaseMillis(),
                        ratio(undone.databaseMillis(), importMillis)));
                undone.report()
                        .lines()
                        .forEach(line -> report.append("    ").append(line).append('\n'));
                report.append('\n');
            }
            Path out = Path.of("target/benchmark/rollback.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report, StandardCharsets.UTF_8);
            System.out.print(report);
        }
    }

    /** A deploy (new plugin files, then {@code migration} on the database), visitors' rows after it, and Stageguard's restore, timed. */
    private static Undone undo(
            LocalMariaDb mariaDb,
            DatabaseConnection live,
            Path root,
            Path backup,
            Map<String, DatabaseDump.DumpedTable> tables,
            String deploy,
            String migration)
            throws Exception {
        Path plugin = root.resolve(PLUGIN);
        Files.writeString(plugin.resolve("sg-big.php"), "<?php\n/**\n * Plugin Name: SG Big\n * Version: 2.0.0\n */\n");
        Files.writeString(plugin.resolve("includes/new-in-2.php"), "<?php // added by 2.0.0\n");
        mariaDb.sql("USE live;" + migration);
        mariaDb.sql(
                "USE live; INSERT INTO wp_postmeta (post_id, meta_key, meta_value) SELECT 1, 'visitor', seq FROM seq_1_to_1000");
        long t0 = System.nanoTime();
        LiveBackup.restoreFiles(backup, root);
        long files = (System.nanoTime() - t0) / 1_000_000;
        DatabaseRollback.Report report;
        long t1 = System.nanoTime();
        try (Connection c = live.open()) {
            report = DatabaseRollback.rollback(
                    c,
                    backup.resolve("database.sql"),
                    "wp_",
                    tables,
                    WordPressTables.list(c, "wp_"),
                    Map.of(),
                    "sgpre_bench_");
        }
        return new Undone(deploy, files, (System.nanoTime() - t1) / 1_000_000, report);
    }

    private static void plainImport(int port, Path dump) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        "mariadb", "--no-defaults", "-h127.0.0.1", "-P" + port, "-uplain", "-pplain", "plain")
                .redirectInput(dump.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (p.waitFor() != 0) throw new IOException("mariadb < dump failed");
    }

    /** About {@link #MEGABYTES} of plugin: PHP files and larger assets, as a page builder or a shop plugin has. */
    private static void writePlugin(Path plugin, Random random) throws IOException {
        Files.createDirectories(plugin.resolve("includes"));
        Files.createDirectories(plugin.resolve("assets"));
        Files.writeString(plugin.resolve("sg-big.php"), "<?php\n/**\n * Plugin Name: SG Big\n * Version: 1.0.0\n */\n");
        for (int i = 0; i < 400; i++) {
            Files.writeString(
                    plugin.resolve("includes/part-" + i + ".php"),
                    "<?php\n// part " + i + "\n" + ("$x = " + random.nextLong() + ";\n").repeat(200));
        }
        byte[] asset = new byte[256 * 1024];
        for (int i = 0; i < MEGABYTES * 4; i++) {
            random.nextBytes(asset);
            Files.write(plugin.resolve("assets/asset-" + i + ".bin"), asset);
        }
    }

    private static long millis(ThrowingRunnable step) throws Exception {
        long t0 = System.nanoTime();
        step.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static double ratio(long value, long baseline) {
        return baseline == 0 ? 0 : (double) value / baseline;
    }
}
