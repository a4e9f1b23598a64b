package io.stageguard.clone;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.demo.LocalMariaDb;
import io.stageguard.demo.LocalWordPress;
import io.stageguard.site.DatabaseConnection;
import io.stageguard.site.Site;
import io.stageguard.site.SiteEnvironment;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phase 1's clone against the plain baseline, measured in the same run on the same machine:
 * {@code cp -a} of the files plus {@code mariadb-dump | mariadb} of the database, against
 * Stageguard's clone (files, database, URL rewrite, sanitizing) in a JVM capped at 256 MiB heap.
 * Both run as child processes under {@code /usr/bin/time}, which reports wall time and peak RSS.
 * Run it with {@code ./stageguard bench}; sizes default to the (20,000 files, 1 GiB,
 * 1,000,000 postmeta rows) and can be lowered with -Dbench.files, -Dbench.megabytes, -Dbench.rows.
 */
@Tag("benchmark")
class CloneBenchmark {
    private static final int FILES = Integer.getInteger("bench.files", 20_000);
    private static final int MEGABYTES = Integer.getInteger("bench.megabytes", 1024);
    private static final int ROWS = Integer.getInteger("bench.rows", 1_000_000);

    @TempDir
    Path work;

    record Run(double seconds, long peakKb, String output) {}

    @Test
    void cloneAgainstCopyAndDump() throws Exception {
        try (LocalMariaDb mariaDb = LocalMariaDb.start(work.resolve("mariadb"))) {
            DatabaseConnection liveDb = mariaDb.createDatabase("bench_live", "bench_live", "live-pw", "wp_");
            DatabaseConnection stagingDb =
                    mariaDb.createDatabase("bench_staging", "bench_staging", "staging-pw", "wp_");
            mariaDb.createDatabase("bench_baseline", "bench_baseline", "baseline-pw", "wp_");
            String live = "http://127.0.0.1:" + LocalWordPress.freePort();
            Path liveRoot = work.resolve("live");
            LocalWordPress.install(liveRoot, live, liveDb, "Benchmark shop", "bench-admin");
            generateFiles(liveRoot.resolve("wp-content/uploads/bench"));
            mariaDb.sql("USE bench_live; INSERT INTO wp_postmeta (post_id, meta_key, meta_value) "
                    + "SELECT seq % 1000 + 1, CONCAT('_bench_', seq % 50), "
                    + "CONCAT('a:2:{s:3:\"url\";s:', LENGTH(u), ':\"', u, '\";s:5:\"title\";s:9:\"Benchmark\";}') "
                    + "FROM (SELECT seq, CONCAT('" + live + "/product/', seq, '/') AS u FROM seq_1_to_" + ROWS
                    + ") generated");
            Site site = new Site(
                    "bench",
                    new SiteEnvironment(live, liveRoot, liveDb),
                    new SiteEnvironment(
                            "http://127.0.0.1:" + LocalWordPress.freePort(), work.resolve("staging"), stagingDb));

            Path sock = work.resolve("mariadb/mysqld.sock");
            Run copy = timed(List.of(
                    "cp",
                    "-a",
                    liveRoot.toString(),
                    work.resolve("baseline-files").toString()));
            Run dump = timed(List.of(
                    "bash",
                    "-o",
                    "pipefail",
                    "-c",
                    "mariadb-dump --no-defaults --socket=" + sock + " -uroot --single-transaction bench_live"
                            + " | mariadb --no-defaults --socket=" + sock + " -uroot bench_baseline"));
            Run clone = timed(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    CloneBenchmarkMain.class.getName(),
                    site.live().baseUrl(),
                    liveRoot.toString(),
                    String.valueOf(mariaDb.port()),
                    site.staging().baseUrl(),
                    site.staging().documentRoot().toString()));

            assertThat(mariaDb.sql("SELECT COUNT(*) FROM bench_staging.wp_postmeta WHERE meta_value LIKE '%"
                                    + live.substring(7) + "/%'")
                            .trim())
                    .as("no live URL left")
                    .isEqualTo("0");
            assertThat(mariaDb.sql("SELECT COUNT(*) FROM bench_staging.wp_postmeta")
                            .trim())
                    .isEqualTo(mariaDb.sql("SELECT COUNT(*) FROM bench_live.wp_postmeta")
                            .trim());

            double baselineSeconds = copy.seconds() + dump.seconds();
            long baselinePeak = Math.max(copy.peakKb(), dump.peakKb());
            String report = String.format(
                    Locale.ROOT,
                    """
                    Clone benchmark: %,d files (%,d MiB) and %,d postmeta rows with serialized URLs
                      baseline  cp -a                       %8.1f s   peak %,8d KiB
                      baseline  mariadb-dump | mariadb      %8.1f s   peak %,8d KiB
                      baseline  total                       %8.1f s
                      Stageguard clone + rewrite + sanitize %8.1f s   peak %,8d KiB (JVM, -Xmx256m)
                      time ratio  clone / baseline          %8.2f x
                      peak ratio  clone / largest baseline  %8.2f x
                    Stageguard's own report:
                    %s
                    """,
                    FILES,
                    MEGABYTES,
                    ROWS,
                    copy.seconds(),
                    copy.peakKb(),
                    dump.seconds(),
                    dump.peakKb(),
                    baselineSeconds,
                    clone.seconds(),
                    clone.peakKb(),
                    clone.seconds() / baselineSeconds,
                    (double) clone.peakKb() / baselinePeak,
                    clone.output().indent(2).stripTrailing());
            System.out.println(report);
            Path out = Path.of("target", "benchmark", "clone.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
        }
    }

    /** Files of varied size adding up to the requested total, 100 to a folder as uploads are. */
    private void generateFiles(Path root) throws IOException {
        Random random = new Random(42);
        byte[] block = new byte[1 << 20];
        random.nextBytes(block);
        long average = (long) MEGABYTES * 1024 * 1024 / FILES;
        for (int i = 0; i < FILES; i++) {
            Path file = root.resolve(String.format(Locale.ROOT, "%03d/file-%05d.bin", i / 100, i));
            Files.createDirectories(file.getParent());
            long size = average / 2 + random.nextLong(average + 1);
            try (OutputStream o = Files.newOutputStream(file)) {
                for (long left = size; left > 0; left -= block.length) {
                    o.write(block, random.nextInt(16), (int) Math.min(left, block.length - 16));
                }
            }
        }
    }

    private Run timed(List<String> command) throws IOException, InterruptedException {
        Path stats = Files.createTempFile(work, "time-", ".txt");
        List<String> full = new ArrayList<>(List.of("/usr/bin/time", "-o", stats.toString(), "-f", "%e %M"));
        full.addAll(command);
        Process p = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("run.log").toFile())
                .start();
        int exit = p.waitFor();
        assertThat(exit)
                .as("%s failed: %s", command, Files.readString(work.resolve("run.log")))
                .isZero();
        String[] fields = Files.readString(stats, StandardCharsets.UTF_8).trim().split("\\s+");
        return new Run(
                Double.parseDouble(fields[fields.length - 2]),
                Long.parseLong(fields[fields.length - 1]),
                Files.readString(work.resolve("run.log")).trim());
    }
}
