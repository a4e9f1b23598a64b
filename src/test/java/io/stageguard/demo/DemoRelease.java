package io.stageguard.demo;

import io.stageguard.StageguardProperties;
import io.stageguard.api.ReleaseService;
import io.stageguard.site.registry.SiteRegistry;
import io.stageguard.update.Change;
import io.stageguard.update.ChangeType;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The {@code demo} profile: starts a local live WordPress and its staging twin, registers them as
 * site {@code acme}, and starts a release of hello-stageguard 1.0.0 to 1.1.0 that runs to the
 * developer sign-off in Tasklist.
 */
@Component
@Profile("demo")
class DemoRelease {
    private static final Logger log = LoggerFactory.getLogger(DemoRelease.class);
    private final SiteRegistry sites;
    private final ReleaseService releases;
    private final StageguardProperties app;
    private DemoSite demo;

    DemoRelease(SiteRegistry sites, ReleaseService releases, StageguardProperties app) {
        this.sites = sites;
        this.releases = releases;
        this.app = app;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() throws IOException {
        demo = DemoSite.create(app.dataDir().resolve("demo-site"), "acme");
        sites.save(demo.site());
        ReleaseService.StartedRelease started = releases.start(
                new ReleaseService.ReleaseRequest(
                        "acme",
                        List.of(new Change(
                                ChangeType.PLUGIN,
                                FixturePlugin.SLUG,
                                "1.1.0",
                                demo.fixturePackage("1.1.0").toString())),
                        List.of("/", "/sample-page/"),
                        null),
                "demo");
        log.info(
                """

                ==== Stageguard demo is running ====
                Live WordPress:    {}
                Staging WordPress: {}
                Release {} is cloning, updating and testing; in a minute it waits for developer sign-off.
                Tasklist: {}/camunda/app/tasklist/   (developer: dev / dev, client: client / client)
                Cockpit:  {}/camunda/app/cockpit/    (operator: operator / operator)
                Status:   curl -u operator:operator {}/api/releases/{}
                Stop with Ctrl-C.
                """,
                demo.site().live().baseUrl(),
                demo.site().staging().baseUrl(),
                started.releaseId(),
                app.publicUrl(),
                app.publicUrl(),
                app.publicUrl(),
                started.releaseId());
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        if (demo != null) demo.close();
    }
}
