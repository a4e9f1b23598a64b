package io.stageguard.testsupport;

import io.stageguard.demo.DemoSite;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Stageguard on a random port, with its own in-memory database and data folder, next to the demo
 * site "acme" (a live WordPress with its staging twin on a MariaDB of their own), once per test
 * class: the set-up the API and end-to-end tests share.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// each class's Stageguard writes into that class's temporary folder: a context cached for a later
// class with the same configuration would write into a folder JUnit has deleted, and its job
// executor would keep running beside the next class's
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class DemoSiteApplicationTest {
    /** A request that changes something carries a JSON content type, even without a body (Stageguard's CSRF rule). */
    protected static final HttpEntity<Void> JSON_NO_BODY = new HttpEntity<>(jsonHeaders());

    @TempDir
    protected static Path work;

    protected static DemoSite demo;
    /** Live's nginx + PHP-FPM + Varnish when the test class is {@link LiveBehindVarnish} (staging then on nginx + PHP-FPM too); null when php -S serves them. */
    protected static ServingStack liveStack;

    @BeforeAll
    static void startSite(TestInfo test) throws Exception {
        if (test.getTestClass().orElseThrow().isAnnotationPresent(LiveBehindVarnish.class)) {
            demo = DemoSite.create(
                    work.resolve("site"),
                    "acme",
                    (root, port) -> liveStack = ServingStack.behindVarnish(root, port),
                    ServingStack::nginxPhpFpm);
        } else {
            demo = DemoSite.create(work.resolve("site"), "acme");
        }
    }

    @AfterAll
    static void stopSite() {
        if (demo != null) demo.close();
    }

    @DynamicPropertySource
    static void stageguardBesideTheSite(DynamicPropertyRegistry registry) {
        // named after the class's own temporary folder: one database per test class, stable for its context
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:" + work.getFileName() + ";DB_CLOSE_DELAY=-1");
        registry.add("stageguard.data-dir", () -> work.resolve("stageguard").toString());
        registry.add("stageguard.qa.host-resolver-rules", () -> "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1");
        // the tests build their packages in temporary folders; sites' roots and the data folder stay out even so
        registry.add("stageguard.updates.package-folders", () -> System.getProperty("java.io.tmpdir"));
    }

    private static HttpHeaders jsonHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return headers;
    }
}
