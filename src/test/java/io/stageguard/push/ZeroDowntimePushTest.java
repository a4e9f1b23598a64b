package io.stageguard.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.site.SiteCaches;
import io.stageguard.testsupport.CdnApiStandIn;
import io.stageguard.testsupport.LiveBehindVarnish;
import io.stageguard.testsupport.OwnPagesQa;
import io.stageguard.testsupport.QaFixtures;
import io.stageguard.testsupport.ReleaseDriver;
import io.stageguard.testsupport.ReleasingApplicationTest;
import io.stageguard.wordpress.PageFetcher;
import io.stageguard.wordpress.SiteHealthCheck;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricVariableUpdate;
import org.camunda.bpm.engine.runtime.Incident;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Phase 5 on the stack production runs: live behind Varnish (pages cached for an hour), served by
 * nginx and PHP-FPM whose OPcache never revalidates, so old code stays served until Stageguard makes
 * the serving PHP drop it (staging is served the same way, so QA too must judge the new code);
 * Cloudflare's and Fastly's purge APIs stood in for on 127.0.0.1. A probe
 * keeps requesting live through Varnish and straight from nginx while releases are pushed.
 */
@OwnPagesQa
@LiveBehindVarnish
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ZeroDowntimePushTest extends ReleasingApplicationTest {
    private static final List<String> QA_PATHS = List.of("/", "/sample-page/");
    private static final String CLOUDFLARE_TOKEN = "cf-token-6f1d2e9a";
    private static final String FASTLY_KEY = "fastly-key-0b7c41d3";
    private static final Pattern VERSION = Pattern.compile("Hello from Stageguard (\\d+\\.\\d+\\.\\d+)");
    private static CdnApiStandIn cloudflare;
    private static CdnApiStandIn fastly;

    @DynamicPropertySource
    static void cdnApisOnLoopback(DynamicPropertyRegistry registry) throws IOException {
        cloudflare = CdnApiStandIn.cloudflare(CLOUDFLARE_TOKEN);
        fastly = CdnApiStandIn.fastly(FASTLY_KEY);
        registry.add("stageguard.cdn.cloudflare-api", cloudflare::baseUrl);
        registry.add("stageguard.cdn.fastly-api", fastly::baseUrl);
    }

    @AfterAll
    static void stopCdnApis() {
        cloudflare.close();
        fastly.close();
    }

    private void registerSite(String fastlyKey) {
        registerAcme(new SiteCaches(
                new SiteCaches.ReverseProxy(liveStack.baseUrl(), SiteCaches.PurgeMethod.BAN),
                new SiteCaches.Cloudflare("0a1b2c3d4e", CLOUDFLARE_TOKEN, null),
                new SiteCaches.Fastly("SU1Z0isxPaozGVKXdv0eY", fastlyKey, null)));
        cloudflare.clear();
        fastly.clear();
    }

    @Test
    @Order(1)
    void aPushUnderLoadIsInvisibleToVisitorsAndReachesThroughEveryCache() throws Exception {
        registerSite(FASTLY_KEY);
        try (PageFetcher fetcher = new PageFetcher()) {
            fetcher.get(liveStack.baseUrl() + "/");
            PageFetcher.Page cached = fetcher.get(liveStack.baseUrl() + "/");
            assertThat(cached.header("x-cache"))
                    .as("Varnish caches live's front page")
                    .isEqualTo("HIT");
            assertThat(version(cached.body())).isEqualTo("1.0.0");
        }
        // with a page-cache plugin, which the purge reaches through its own function
        String release = driver().startRelease(
                        QA_PATHS,
                        "1.1.0",
                        Map.of(
                                "type",
                                "plugin",
                                "slug",
                                "sg-page-cache",
                                "version",
                                "1.0.0",
                                "package",
                                QaFixtures.zip("sg-page-cache", "1.0.0", work.resolve("packages"))
                                        .toString()));
        driver().awaitTask(release, "Task_DeveloperSignoff");

        List<Probe> probes;
        try (Visitors visitors = Visitors.start()) {
            driver().signOff(release);
            driver().confirmPlan(release);
            assertThat(driver().awaitEnd(release).get("outcome")).isEqualTo("Released");
            probes = visitors.stop();
        }
        HistoricActivityInstance deploy = activity(release, "Task_DeployFrozenChanges");
        HistoricActivityInstance purge = activity(release, "Task_PurgeCaches");
        Instant pushStarted =
                activity(release, "Task_CheckLiveDrift").getStartTime().toInstant();
        assertThat(probes)
                .as("visitors' requests while the release was pushed")
                .filteredOn(p -> p.sent().isAfter(pushStarted) && !p.sentAfter(purge.getEndTime()))
                .hasSizeGreaterThan(5);
        assertThat(probes)
                .as("failed requests (non-2xx or a PHP fatal)")
                .filteredOn(Probe::failed)
                .isEmpty();
        assertThat(probes)
                .as("nginx served the old code after the swap (stale OPcache)")
                .filteredOn(p -> !p.throughVarnish() && p.sentAfter(deploy.getEndTime()))
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.version()).isEqualTo("1.1.0"));
        assertThat(probes)
                .as("Varnish served the old page after the purge")
                .filteredOn(p -> p.throughVarnish() && p.sentAfter(purge.getEndTime()))
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.version()).isEqualTo("1.1.0"));

        assertThat(cloudflare.calls())
                .containsExactly(new CdnApiStandIn.Call(
                        "POST",
                        "/client/v4/zones/0a1b2c3d4e/purge_cache",
                        "Bearer " + CLOUDFLARE_TOKEN,
                        "{\"purge_everything\":true}"));
        assertThat(fastly.calls())
                .containsExactly(
                        new CdnApiStandIn.Call("POST", "/service/SU1Z0isxPaozGVKXdv0eY/purge_all", FASTLY_KEY, ""));
        Map<String, Object> results = ReleaseDriver.variables(driver().status(release));
        assertThat(results.get("qaVerdict"))
                .as("QA on staging (PHP-FPM, OPcache not revalidating) judged 1.1.0's bolder footer, not the 1.0.0 "
                        + "still compiled from the clone's check")
                .isEqualTo("warn");
        assertThat((String) results.get("servedCode"))
                .contains("fpm-fcgi: OPcache on")
                .contains("cached scripts of the swapped folders invalidated")
                .contains("plugin hello-stageguard=1.1.0");
        assertThat((String) results.get("cachePurge"))
                .contains("page-cache plugins: WP Super Cache purged")
                .contains("BAN of every page")
                .contains("Cloudflare zone 0a1b2c3d4e")
                .contains("Fastly service")
                .contains("none served from before it");
        assertThat(recordedValues()).noneMatch(v -> v.contains(CLOUDFLARE_TOKEN) || v.contains(FASTLY_KEY));
        Map<String, Object> plan = (Map<String, Object>) results.get("deploymentPlan");
        assertThat(demo.mariaDb()
                        .sql("SELECT COUNT(*) FROM live_wp.wp_options WHERE option_name = 'sg_page_cache_cleared'"))
                .isEqualTo("1\n");
        assertThat(plan).containsEntry("risk", "high");
        assertThat(plan.get("riskReasons").toString()).contains("plugin sg-page-cache: new step");
        assertThat(plan.get("steps").toString())
                .contains("plugin hello-stageguard: 1.0.0 → 1.1.0 (minor)")
                .contains("plugin sg-page-cache: added, 1.0.0 (activated)")
                .contains("the reverse proxy at " + liveStack.baseUrl() + " (BAN)")
                .contains("Cloudflare zone 0a1b2c3d4e");
        assertThat(plan.get("rollbackSteps").toString())
                .contains("Put back wp-content/plugins/hello-stageguard 1.0.0 from the backup")
                .contains("keeping the rows live's visitors wrote since the backup");
        assertThat(plan)
                .as("the plan shows the rollback time the rehearsal measured")
                .containsEntry("rollbackRehearsed", true);
        assertThat(((Number) plan.get("rollbackSeconds")).doubleValue()).isPositive();
        String liveReport = driver().asOperator()
                .getForObject(
                        java.net
                                .URI
                                .create((String) results.get("liveReportUrl"))
                                .getPath(),
                        String.class);
        assertThat(liveReport)
                .contains("Live after the push")
                .contains("Passed")
                .contains("page-1-after-desktop.png");
        assertThat(demo.site().live().documentRoot())
                .as("the one-shot files are gone")
                .isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("stageguard-oneshot-"));
    }

    @Test
    @Order(2)
    void aReleaseThatBreaksLiveIsRolledBackAndLiveServesTheRestoredCodeAtOnce() throws Exception {
        registerSite(FASTLY_KEY);
        String release = driver().startRelease(QA_PATHS, "1.3.0");
        driver().signOff(release);
        driver().confirmPlan(release);
        Map<String, Object> status = driver().awaitEnd(release);
        assertThat(status.get("outcome")).isEqualTo("Rolled back");
        assertThat((String) ReleaseDriver.variables(status).get("liveVerification"))
                .contains("/ 500");
        try (PageFetcher fetcher = new PageFetcher()) {
            for (String base : List.of(liveStack.baseUrl(), liveStack.backendUrl())) {
                PageFetcher.Page page = fetcher.get(base + "/", Map.of("Host", liveHost()));
                assertThat(page.status()).as(base).isEqualTo(200);
                assertThat(version(page.body()))
                        .as("%s serves the restored plugin, not a cached 1.3.0", base)
                        .isEqualTo("1.1.0");
            }
        }
        assertThat((String) ReleaseDriver.variables(status).get("liveVerification"))
                .contains("failed the plain check right after the swap");
        assertThat(cloudflare.calls())
                .as("the break was caught before the push's purge; purged once, after the restore")
                .hasSize(1);
    }

    @Test
    @Order(3)
    void aCdnThatRefusesThePurgeIsAnIncidentThatSaysSoWithoutTheKey() throws Exception {
        registerSite("a-key-fastly-no-longer-accepts");
        String release = driver().startRelease(
                        QA_PATHS,
                        "1.1.0",
                        Map.of(
                                "type",
                                "plugin",
                                "slug",
                                "sg-harmless",
                                "version",
                                "1.0.0",
                                "package",
                                QaFixtures.zip("sg-harmless", "1.0.0", work.resolve("packages"))
                                        .toString()));
        driver().signOff(release);
        driver().confirmPlan(release);
        Incident incident = driver().awaitIncident(release);
        assertThat(incident.getActivityId()).isEqualTo("Task_PurgeCaches");
        assertThat(incident.getIncidentMessage())
                .contains("the Fastly API refused to purge service SU1Z0isxPaozGVKXdv0eY (HTTP 401)")
                .contains("Provided credentials are missing or invalid")
                .doesNotContain("a-key-fastly-no-longer-accepts");
        assertThat(fastly.calls())
                .as("tried, then retried, never passed silently")
                .hasSizeGreaterThan(1);
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

    private List<String> recordedValues() {
        return history.createHistoricDetailQuery().variableUpdates().list().stream()
                .map(d -> String.valueOf(((HistoricVariableUpdate) d).getValue()))
                .toList();
    }

    /** Live's host name as visitors send it (nginx is asked with it, as Varnish does). */
    private static String liveHost() {
        return java.net.URI.create(liveStack.baseUrl()).getRawAuthority();
    }

    private static String version(String html) {
        Matcher m = VERSION.matcher(html);
        return m.find() ? m.group(1) : "none";
    }

    /** One visitor request: when it was sent, where, and what came back. */
    private record Probe(Instant sent, boolean throughVarnish, int status, boolean fatal, String version) {
        boolean failed() {
            return status < 200 || status >= 300 || fatal || version.equals("none");
        }

        boolean sentAfter(Date moment) {
            return sent.isAfter(moment.toInstant());
        }
    }

    /** Visitors that keep loading live's front page, through Varnish and straight from nginx in turn, until stopped. */
    private static final class Visitors implements AutoCloseable {
        private static final int VISITORS = 4;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Probe> probes = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new ArrayList<>();

        static Visitors start() {
            Visitors v = new Visitors();
            for (int i = 0; i < VISITORS; i++) {
                Thread t = new Thread(v::visit, "visitor-" + i);
                v.threads.add(t);
                t.start();
            }
            return v;
        }

        private void visit() {
            try (PageFetcher fetcher = new PageFetcher()) {
                for (int i = 0; running.get(); i++) {
                    boolean varnish = i % 2 == 0;
                    // straight from nginx with a query string no cache has seen: PHP-FPM renders it
                    String url = varnish ? liveStack.baseUrl() + "/" : liveStack.backendUrl() + "/?visit=" + i;
                    Instant sent = Instant.now();
                    try {
                        PageFetcher.Page page = fetcher.get(url, Map.of("Host", liveHost()));
                        probes.add(new Probe(
                                sent,
                                varnish,
                                page.status(),
                                SiteHealthCheck.showsPhpFatal(page.body()),
                                version(page.body())));
                    } catch (IOException e) {
                        probes.add(new Probe(sent, varnish, 0, false, "none"));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        List<Probe> stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) t.join();
            return new ArrayList<>(probes);
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
