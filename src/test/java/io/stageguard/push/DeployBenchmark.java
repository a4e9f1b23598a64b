package io.stageguard.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.clone.FileTreeCopier;
import io.stageguard.demo.DemoSite;
import io.stageguard.site.PhpProperties;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.testsupport.ServingStack;
import io.stageguard.update.Change;
import io.stageguard.update.ChangeInstaller;
import io.stageguard.update.ChangeType;
import io.stageguard.update.PackageInstaller;
import io.stageguard.update.ServedCodeRefresher;
import io.stageguard.wordpress.PageFetcher;
import io.stageguard.wordpress.ServingPhp;
import io.stageguard.wordpress.SiteHealthCheck;
import io.stageguard.wordpress.WordPressPhp;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phase 5's promise, measured: an update of a plugin of about 50 MB pushed to a live served by
 * nginx + PHP-FPM (OPcache not revalidating) while visitors keep requesting it, Stageguard's way
 * (unpacked beside, swapped in atomically, the serving PHP refreshed) against WordPress's own
 * update path in the same run (package unpacked to wp-content/upgrade, then the site in maintenance
 * mode while the old folder is deleted and the new one copied in). Each side updates the plugin
 * three times. A failed request is one that is not a 200, shows a PHP fatal or the maintenance
 * page, lacks the plugin's output, or shows the old version after the switch completed. Run with
 * {@code ./stageguard bench}; figures go to target/benchmark/deploy.txt.
 */
@Tag("benchmark")
class DeployBenchmark {
    private static final String SLUG = "sg-big";
    private static final int MEGABYTES = Integer.getInteger("bench.deploy.megabytes", 50);
    private static final int VISITORS = 4;
    private static final int ROUNDS = 3;
    /** Visits wanted before each switch and after it. */
    private static final int AROUND_THE_SWITCH = 40;

    @TempDir
    static Path work;

    /** One visitor request. */
    private record Visit(long sentNanos, long millis, boolean failed) {}

    @Test
    void aPushUnderLoadAgainstWordPressMaintenanceModeUpdate() throws Exception {
        List<Path> packages = new ArrayList<>();
        for (int v = 0; v <= 2 * ROUNDS; v++) packages.add(bigPlugin("1." + v + ".0"));
        try (DemoSite demo = DemoSite.create(
                        work.resolve("site"), "bench", ServingStack::nginxPhpFpm, ServingStack::nginxPhpFpm);
                PageFetcher fetcher = new PageFetcher()) {
            SiteEnvironment live = demo.site().live();
            ChangeInstaller installer = ChangeInstaller.with(new WordPressPhp(PhpProperties.defaults()));
            installer.install(live, change(0, packages), true);
            ServedCodeRefresher served = new ServedCodeRefresher(new ServingPhp(fetcher));
            served.refresh(live, List.of(change(0, packages)));

            Result wordpress = new Result("WordPress's own update path (maintenance mode for the copy)");
            Result stageguard = new Result("Stageguard (unpacked beside, atomic swap, serving PHP refreshed)");
            int version = 0;
            for (int round = 0; round < ROUNDS; round++) {
                Change next = change(++version, packages);
                measure(wordpress, live, next, () -> {
                    // as WordPress does first, with the site still up: the package unpacked into wp-content/upgrade
                    Path scratch = work.resolve("scratch-" + next.version());
                    Files.createDirectories(scratch.resolve("wp-content"));
                    PackageInstaller.install(scratch, next);
                    Path unpacked = live.wpContent().resolve("upgrade/" + SLUG);
                    Files.createDirectories(unpacked.getParent());
                    FileTreeCopier.deleteTree(unpacked);
                    Files.move(scratch.resolve("wp-content/plugins/" + SLUG), unpacked);
                    // then, in maintenance mode: the old folder deleted, the new one copied in
                    Path target = live.wpContent().resolve("plugins/" + SLUG);
                    Path maintenance = live.documentRoot().resolve(".maintenance");
                    long started = System.nanoTime();
                    Files.writeString(
                            maintenance, "<?php $upgrading = " + (System.currentTimeMillis() / 1000) + "; ?>");
                    FileTreeCopier.deleteTree(target);
                    FileTreeCopier.copy(unpacked, target, Set.of());
                    Files.delete(maintenance);
                    served.refresh(live, List.of(next));
                    FileTreeCopier.deleteTree(unpacked);
                    return started;
                });
                Change again = change(++version, packages);
                measure(stageguard, live, again, () -> {
                    PackageInstaller.Unpacked unpacked = PackageInstaller.unpack(live.documentRoot(), again);
                    long started = System.nanoTime();
                    PackageInstaller.swapIn(unpacked);
                    served.refresh(live, List.of(again));
                    return started;
                });
            }
            String report = String.format(
                            Locale.ROOT,
                            "Deploy benchmark: an update of a %d MB plugin (%s) on nginx + PHP-FPM with OPcache "
                                    + "(validate_timestamps=0), %d visitors requesting the front page without pause, %d updates per side%n%n",
                            MEGABYTES,
                            SLUG,
                            VISITORS,
                            ROUNDS)
                    + stageguard.lines() + "\n" + wordpress.lines() + "\n"
                    + String.format(
                            Locale.ROOT,
                            "switch time ratio (Stageguard / WordPress): %.2fx%n",
                            stageguard.switchMillis / Math.max(1.0, wordpress.switchMillis))
                    + "core update: see target/benchmark/deploy-core.txt (aCoreUpdateUnderLoadAgainstWordPresssUpdateCore)\n";
            Path out = Path.of("target/benchmark/deploy.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report, StandardCharsets.UTF_8);
            System.out.println(report);
            assertThat(stageguard.visits)
                    .as("the probe ran while Stageguard switched")
                    .isNotEmpty();
            assertThat(wordpress.visits)
                    .as("the probe ran while WordPress switched")
                    .isNotEmpty();
        }
    }

    /** WordPress's own core update, as its upgrader runs it once the release is unpacked into {@code $argv[1]}/wordpress. */
    private static final String UPDATE_CORE = """
            require ABSPATH_DIR . '/wp-load.php';
            require_once ABSPATH . 'wp-admin/includes/admin.php';
            if ( ! WP_Filesystem() ) { fwrite( STDERR, 'no filesystem' ); exit( 1 ); }
            // as Core_Upgrader does: the new release's own update-core.php runs the update
            copy( $argv[1] . '/wordpress/wp-admin/includes/update-core.php', ABSPATH . 'wp-admin/includes/update-core.php' );
            require ABSPATH . 'wp-admin/includes/update-core.php';
            $result = update_core( $argv[1], ABSPATH );
            if ( is_wp_error( $result ) ) { fwrite( STDERR, $result->get_error_message() ); exit( 1 ); }
            echo $result;
            """;

    /**
     * WordPress core 6.1.9 (Debian) to 6.5.5 under the same four visitors, once per side on two
     * identical sites: Stageguard's {@code CoreUpdater} (release unpacked beside, swapped in,
     * {@code wp_upgrade()}), then the serving PHP refreshed; against WordPress's own
     * {@code update_core()} (maintenance mode while it copies the files over the site, the database
     * upgraded by a request to {@code upgrade.php}), then the serving PHP refreshed too, as a host
     * with OPcache not revalidating must. A visit fails as above; after the switch it must show
     * WordPress 6.5.5's generator tag. Figures go to target/benchmark/deploy-core.txt.
     */
    @Test
    void aCoreUpdateUnderLoadAgainstWordPresssUpdateCore() throws Exception {
        Path zip = io.stageguard.testsupport.WordPressReleases.zip("6.5", work.resolve("core"));
        Change core = new Change(ChangeType.CORE, null, "6.5.5", zip.toString());
        WordPressPhp php = new WordPressPhp(PhpProperties.defaults());
        java.util.function.Predicate<String> serves =
                body -> body.contains("<meta name=\"generator\" content=\"WordPress ");
        java.util.function.Predicate<String> updated = body -> body.contains("content=\"WordPress 6.5.5\"");
        Result wordpress = new Result(
                "WordPress's own update_core() (maintenance mode while the files are copied over the site)", 1);
        Result stageguard = new Result(
                "Stageguard's CoreUpdater (unpacked beside, swapped in, wp_upgrade(), serving PHP refreshed)", 1);
        try (DemoSite wp = DemoSite.create(
                        work.resolve("core-wp"), "corewp", ServingStack::nginxPhpFpm, ServingStack::nginxPhpFpm);
                DemoSite sg = DemoSite.create(
                        work.resolve("core-sg"), "coresg", ServingStack::nginxPhpFpm, ServingStack::nginxPhpFpm);
                PageFetcher fetcher = new PageFetcher()) {
            ServedCodeRefresher served = new ServedCodeRefresher(new ServingPhp(fetcher));
            SiteEnvironment wpLive = wp.site().live();
            // unpacked first, with the site up, as WordPress's upgrader does into wp-content/upgrade
            Path working = wpLive.wpContent().resolve("upgrade/wordpress-6.5.5");
            unzip(zip, working);
            // update_core() writes the site's files from PHP: it runs as the site's user (ADR 11), who owns them, as on
            // a real host
            io.stageguard.demo.Processes.run(
                    List.of(
                            "chown",
                            "-R",
                            "www-data:www-data",
                            wpLive.documentRoot().toString()),
                    null);
            measure(wordpress, wpLive, serves, updated, () -> {
                long started = System.nanoTime();
                php.run(wpLive.documentRoot(), wpLive.baseUrl(), null, UPDATE_CORE, working.toString());
                served.refresh(wpLive, List.of(core));
                return started;
            });
            SiteEnvironment sgLive = sg.site().live();
            measure(stageguard, sgLive, serves, updated, () -> {
                long started = System.nanoTime();
                // as LiveDeployer does: the serving PHP refreshed right after the swaps, and again at the end
                new io.stageguard.update.CoreUpdater(php)
                        .update(sgLive, core, () -> served.refresh(sgLive, List.of(core)));
                served.refresh(sgLive, List.of(core));
                return started;
            });
            String report = String.format(
                            Locale.ROOT,
                            "Core update under load: WordPress 6.1.9 to 6.5.5 on nginx + PHP-FPM with OPcache "
                                    + "(validate_timestamps=0), %d visitors requesting the front page without pause, once per side%n%n",
                            VISITORS)
                    + stageguard.lines() + "\n" + wordpress.lines() + "\n"
                    + String.format(
                            Locale.ROOT,
                            "switch time ratio (Stageguard / WordPress): %.2fx%n",
                            stageguard.switchMillis / Math.max(1.0, wordpress.switchMillis));
            Path out = Path.of("target/benchmark/deploy-core.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report, StandardCharsets.UTF_8);
            System.out.println(report);
            assertThat(stageguard.visits)
                    .as("the probe ran while Stageguard updated core")
                    .isNotEmpty();
            assertThat(io.stageguard.wordpress.SiteInventoryReader.wordpressVersion(wpLive.documentRoot()))
                    .isEqualTo("6.5.5");
        }
    }

    /** The release zip (entries under wordpress/) unpacked into {@code into}. */
    private static void unzip(Path zip, Path into) throws IOException {
        try (java.util.zip.ZipFile file = new java.util.zip.ZipFile(zip.toFile())) {
            for (ZipEntry entry : file.stream().toList()) {
                Path out = into.resolve(entry.getName()).normalize();
                if (!out.startsWith(into)) throw new IOException("zip entry escapes: " + entry.getName());
                if (entry.isDirectory()) continue;
                Files.createDirectories(out.getParent());
                try (var in = file.getInputStream(entry)) {
                    Files.copy(in, out);
                }
            }
        }
    }

    @FunctionalInterface
    private interface Switch {
        /** Does the update; returns System.nanoTime() when the site-visible part began. */
        long run() throws IOException;
    }

    /** The visits of one side, counted from the start of its switch until as many again were made after it. */
    private static final class Result {
        final String name;
        final List<Visit> visits = new ArrayList<>();
        double switchMillis;
        long requestsPerSecond;
        final int rounds;

        Result(String name) {
            this(name, ROUNDS);
        }

        Result(String name, int rounds) {
            this.name = name;
            this.rounds = rounds;
        }

        String lines() {
            long failed = visits.stream().filter(Visit::failed).count();
            long max = visits.stream().mapToLong(Visit::millis).max().orElse(0);
            return name + "\n"
                    + "failed requests: " + failed + "\n"
                    + "max latency ms: " + max + "\n"
                    + "requests during the switches: " + visits.size() + " (" + requestsPerSecond
                    + " per second overall)\n"
                    + String.format(
                            Locale.ROOT,
                            "switch ms (site-visible part, mean of %d): %.0f%n",
                            rounds,
                            switchMillis / rounds);
        }
    }

    private static void measure(Result result, SiteEnvironment live, Change to, Switch update) throws Exception {
        measure(
                result,
                live,
                body -> body.contains("<!-- " + SLUG + " "),
                body -> body.contains("<!-- " + SLUG + " " + to.version() + " -->"),
                update);
    }

    /**
     * @param serves  what every answer must show (the plugin's output)
     * @param updated what every answer after the switch must show (the new version)
     */
    private static void measure(
            Result result,
            SiteEnvironment live,
            java.util.function.Predicate<String> serves,
            java.util.function.Predicate<String> updated,
            Switch update)
            throws Exception {
        List<Visit> visits = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        long[] switchDone = {Long.MAX_VALUE};
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < VISITORS; i++) {
            Thread t = new Thread(() -> visit(live, serves, updated, running, visits, switchDone), "visitor-" + i);
            threads.add(t);
            t.start();
        }
        long probeStart = System.nanoTime();
        // visitors well under way before the switch, and as many again after it
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> visits.size() >= AROUND_THE_SWITCH);
        long started = update.run();
        switchDone[0] = System.nanoTime();
        result.switchMillis += (switchDone[0] - started) / 1e6;
        Awaitility.await()
                .atMost(Duration.ofMinutes(1))
                .until(() -> visits.stream()
                                .filter(v -> v.sentNanos() > switchDone[0])
                                .count()
                        >= AROUND_THE_SWITCH);
        running.set(false);
        for (Thread t : threads) t.join();
        long end = System.nanoTime();
        result.requestsPerSecond = Math.round(visits.size() / ((end - probeStart) / 1e9));
        visits.stream().filter(v -> v.sentNanos() >= started - 200_000_000L).forEach(result.visits::add);
    }

    private static void visit(
            SiteEnvironment live,
            java.util.function.Predicate<String> serves,
            java.util.function.Predicate<String> updated,
            AtomicBoolean running,
            List<Visit> visits,
            long[] switchDone) {
        try (PageFetcher fetcher = new PageFetcher()) {
            for (int i = 0; running.get(); i++) {
                long sent = System.nanoTime();
                boolean failed;
                try {
                    PageFetcher.Page page = fetcher.get(
                            live.url("/?visit=" + Thread.currentThread().getName() + "-" + i));
                    String body = page.body();
                    boolean afterSwitch = sent > switchDone[0];
                    failed = page.status() != 200
                            || SiteHealthCheck.showsPhpFatal(body)
                            || body.contains("Briefly unavailable for scheduled maintenance")
                            || !serves.test(body)
                            || afterSwitch && !updated.test(body);
                } catch (IOException e) {
                    failed = true;
                }
                visits.add(new Visit(sent, (System.nanoTime() - sent) / 1_000_000, failed));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Change change(int index, List<Path> packages) {
        return new Change(
                ChangeType.PLUGIN,
                SLUG,
                "1." + index + ".0",
                packages.get(index).toString());
    }

    /** A plugin of MEGABYTES of incompressible files that prints its version in the footer. */
    private static Path bigPlugin(String version) throws IOException {
        Path zip = work.resolve("packages/" + SLUG + "-" + version + ".zip");
        Files.createDirectories(zip.getParent());
        Random random = new Random(version.hashCode());
        byte[] chunk = new byte[100 * 1024];
        try (OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(file)) {
            out.putNextEntry(new ZipEntry(SLUG + "/" + SLUG + ".php"));
            out.write(("<?php\n/**\n * Plugin Name: SG big\n * Version: " + version + "\n */\n"
                            + "require __DIR__ . '/includes/functions.php';\n"
                            + "add_action( 'wp_footer', 'sg_big_footer' );\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new ZipEntry(SLUG + "/includes/functions.php"));
            out.write(("<?php\nfunction sg_big_footer() { echo \"<!-- " + SLUG + " " + version + " -->\\n\"; }\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            for (int i = 0; i < MEGABYTES * 10; i++) {
                out.putNextEntry(new ZipEntry(SLUG + "/assets/blob-" + i + ".bin"));
                random.nextBytes(chunk);
                out.write(chunk);
                out.closeEntry();
            }
        }
        return zip;
    }
}
