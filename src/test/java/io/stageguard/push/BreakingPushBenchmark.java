package io.stageguard.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.site.SiteCaches;
import io.stageguard.testsupport.LiveBehindVarnish;
import io.stageguard.testsupport.ReleasingApplicationTest;
import io.stageguard.wordpress.PageFetcher;
import io.stageguard.wordpress.SiteHealthCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How long visitors see a push that breaks live, measured from outside: a probe asks live's front
 * page ten times a second (straight from nginx, past Varnish, so every answer is PHP's) while
 * hello-stageguard 1.3.0, fatal on live only, is pushed and rolled back. The window is from the
 * first failed answer to the last. The baseline, measured in the same run on a push that passes:
 * the cache purge and the browser verification, which a breaking push used to sit through before
 * its rollback began. Run with {@code ./stageguard bench}; figures go to
 * target/benchmark/breaking-push.txt.
 */
@Tag("benchmark")
@LiveBehindVarnish
class BreakingPushBenchmark extends ReleasingApplicationTest {
    private static final List<String> QA_PATHS = List.of("/", "/sample-page/");
    private static final Duration PROBE_EVERY = Duration.ofMillis(100);

    private record Probe(long sentMillis, boolean failed) {}

    @Test
    void errorsVisitorsSeeWhenAPushBreaksLive() throws Exception {
        registerAcme(new SiteCaches(
                new SiteCaches.ReverseProxy(liveStack.baseUrl(), SiteCaches.PurgeMethod.BAN), null, null));
        String passing = driver().startRelease(QA_PATHS, "1.1.0");
        driver().signOff(passing);
        driver().confirmPlan(passing);
        assertThat(driver().awaitEnd(passing).get("outcome")).isEqualTo("Released");
        long purgeAndBrowser =
                millis(activity(passing, "Task_PurgeCaches")) + millis(activity(passing, "Task_VerifyLive"));

        String breaking = driver().startRelease(QA_PATHS, "1.3.0");
        driver().signOff(breaking);
        List<Probe> probes = new CopyOnWriteArrayList<>();
        // one request every PROBE_EVERY, on a schedule rather than a sleep between requests
        java.util.concurrent.ScheduledExecutorService probe =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try (PageFetcher fetcher = new PageFetcher()) {
            probe.scheduleAtFixedRate(
                    () -> probes.add(probe(fetcher, probes.size())),
                    0,
                    PROBE_EVERY.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
            driver().confirmPlan(breaking);
            assertThat(driver().awaitEnd(breaking).get("outcome")).isEqualTo("Rolled back");
        } finally {
            probe.shutdownNow();
            probe.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        HistoricActivityInstance deploy = activity(breaking, "Task_DeployFrozenChanges");
        HistoricActivityInstance restore = activity(breaking, "Task_RestoreBackup");
        List<Probe> failed = probes.stream().filter(Probe::failed).toList();
        long window = failed.isEmpty()
                ? 0
                : failed.get(failed.size() - 1).sentMillis() - failed.get(0).sentMillis() + PROBE_EVERY.toMillis();
        String report = String.format(
                Locale.ROOT,
                """
                Breaking push benchmark: hello-stageguard 1.3.0 (fatal on live only) pushed to live on nginx + PHP-FPM behind Varnish, a probe \
                asking live's front page every %d ms past the cache

                errors visitors saw: %.1f s (%d of %d requests failed)
                swap begun to restore done: %.1f s (deploy step %.1f s, restore step %.1f s)
                baseline, same run: the purge and browser verification a breaking push sat through before its rollback began: %.1f s
                ratio (errors seen / baseline): %.2fx
                """,
                PROBE_EVERY.toMillis(),
                window / 1000.0,
                failed.size(),
                probes.size(),
                (restore.getEndTime().getTime() - deploy.getStartTime().getTime()) / 1000.0,
                millis(deploy) / 1000.0,
                millis(restore) / 1000.0,
                purgeAndBrowser / 1000.0,
                window / (double) Math.max(1, purgeAndBrowser));
        Path out = Path.of("target/benchmark/breaking-push.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report, StandardCharsets.UTF_8);
        System.out.println(report);
        assertThat(failed).as("the probe saw the break").isNotEmpty();
    }

    /** One request to live's front page straight from nginx, past Varnish. */
    private static Probe probe(PageFetcher fetcher, int i) {
        long sent = System.currentTimeMillis();
        try {
            PageFetcher.Page page = fetcher.get(
                    liveStack.backendUrl() + "/?probe=" + i,
                    Map.of("Host", java.net.URI.create(liveStack.baseUrl()).getRawAuthority()));
            return new Probe(sent, page.status() != 200 || SiteHealthCheck.showsPhpFatal(page.body()));
        } catch (IOException e) {
            return new Probe(sent, true);
        }
    }

    private HistoricActivityInstance activity(String release, String activityId) {
        return history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(release).list().stream()
                .flatMap(p -> history
                        .createHistoricActivityInstanceQuery()
                        .processInstanceId(p.getId())
                        .activityId(activityId)
                        .finished()
                        .list()
                        .stream())
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError(activityId + " never ran in " + release));
    }

    private static long millis(HistoricActivityInstance activity) {
        return activity.getEndTime().getTime() - activity.getStartTime().getTime();
    }
}
