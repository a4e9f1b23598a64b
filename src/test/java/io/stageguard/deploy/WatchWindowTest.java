package io.stageguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.demo.FixturePlugin;
import io.stageguard.site.PageFetcher;
import io.stageguard.site.SiteCaches;
import io.stageguard.testsupport.ReleasingApplicationTest;
import io.stageguard.testsupport.ReleaseDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;

/**
 * The watch window after a push, with real timers (a probe every 2 seconds in a 10-minute window):
 * a failed probe, or a rollback requested over the API, puts live back; the status API shows the
 * step as "Watch live" meanwhile.
 */
@TestPropertySource(properties = {"stageguard.deploy.watch-window=PT10M", "stageguard.deploy.watch-interval=PT2S"})
class WatchWindowTest extends ReleasingApplicationTest {
    private static final List<String> QA_PATHS = List.of("/", "/sample-page/");

    @Autowired PageFetcher fetcher;

    @BeforeEach
    void registerSite() {
        registerAcme(SiteCaches.NONE);
    }

    @Test
    void aRollbackRequestedOverTheApiWhileLiveIsWatchedPutsLiveBack() throws Exception {
        String before = Files.readString(liveMainFile());
        String release = pushedAndWatched();
        assertThat(rollback("client", release).getStatusCode()).as("a client asks the developers").isEqualTo(HttpStatus.FORBIDDEN);
        ResponseEntity<Map<String, Object>> accepted = rollback("ci", release);
        assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);

        Map<String, Object> status = driver().awaitEnd(release);
        assertThat(status.get("outcome")).isEqualTo("Rolled back");
        assertThat((String) ReleaseDriver.variables(status).get("rollbackRequest")).startsWith("requested by ci at ").endsWith(": checkout is broken");
        assertThat(liveMainFile()).hasContent(before);
        ResponseEntity<Map<String, Object>> late = rollback("ci", release);
        assertThat(late.getStatusCode()).as("no longer watched").isEqualTo(HttpStatus.CONFLICT);
        assertThat((Map<String, String>) late.getBody().get("errors")).containsKey("releaseId");
    }

    @Test
    void aProbeThatFindsLiveBrokenWhileWatchedRollsBack() throws Exception {
        String before = Files.readString(liveMainFile());
        String release = pushedAndWatched();
        // something breaks live after the push was verified (a cron job, a late hook, a full disk)
        Files.writeString(liveMainFile(), Files.readString(liveMainFile()) + "\nadd_action( 'template_redirect', function () { hello_broken_since_the_push(); } );\n");

        Map<String, Object> status = driver().awaitEnd(release);
        assertThat(status.get("outcome")).isEqualTo("Rolled back");
        assertThat((String) ReleaseDriver.variables(status).get("watchReport")).contains("Live failed a probe while watched").contains("/: HTTP 500");
        assertThat(liveMainFile()).hasContent(before);
        assertThat(fetcher.get(demo.site().live().url("/")).status()).isEqualTo(200);
    }

    /** A release of hello-stageguard 1.1.0 pushed and verified, now in its watch window. */
    private String pushedAndWatched() {
        String release = driver().startRelease(QA_PATHS, "1.1.0");
        driver().signOff(release);
        driver().confirmPlan(release);
        Awaitility.await("the watch window").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .until(() -> (List<String>) driver().status(release).get("step"), step -> step != null && step.contains("Watch live"));
        return release;
    }

    private ResponseEntity<Map<String, Object>> rollback(String user, String release) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return rest.withBasicAuth(user, user).exchange("/api/releases/" + release + "/rollback", HttpMethod.POST,
                new HttpEntity<>(Map.of("reason", "checkout is broken"), headers), new ParameterizedTypeReference<>() { });
    }

    private static Path liveMainFile() {
        return demo.site().live().wpContent().resolve("plugins/" + FixturePlugin.MAIN_FILE);
    }
}
