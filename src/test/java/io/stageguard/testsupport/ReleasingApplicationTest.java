package io.stageguard.testsupport;

import io.stageguard.site.Site;
import io.stageguard.site.SiteAccess;
import io.stageguard.site.SiteCaches;
import io.stageguard.site.registry.SiteRegistry;
import java.util.List;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;

/**
 * The set-up of the tests that run whole releases of the demo site: the engine's services, a
 * {@link ReleaseDriver}, acme registered with its own people, and no release left running after a
 * test (one release per site: a test that failed half-way must not block the next).
 */
public abstract class ReleasingApplicationTest extends DemoSiteApplicationTest {
    @Autowired
    protected TestRestTemplate rest;

    @Autowired
    protected SiteRegistry sites;

    @Autowired
    protected TaskService tasks;

    @Autowired
    protected RuntimeService runtime;

    @Autowired
    protected HistoryService history;

    @Autowired
    protected IdentityService identity;

    @AfterEach
    void cancelUnfinishedReleases() {
        runtime.createProcessInstanceQuery()
                .processDefinitionKey("staging-release")
                .list()
                .forEach(p -> runtime.deleteProcessInstance(p.getId(), "test cleanup"));
    }

    protected ReleaseDriver driver() {
        return new ReleaseDriver(rest, tasks, runtime, history, identity, demo);
    }

    /** Acme with its own people (two developers, as four-eyes needs a second; one client; otherclient has no part) and these caches. */
    protected void registerAcme(SiteCaches caches) {
        registerAcme(caches, null);
    }

    /** As {@link #registerAcme(SiteCaches)}, telling {@code webhook} of its releases. */
    protected void registerAcme(SiteCaches caches, io.stageguard.site.SiteWebhook webhook) {
        Site s = demo.site();
        sites.save(new Site(
                s.id(),
                s.live(),
                s.staging(),
                s.qa(),
                new SiteAccess(
                        new SiteAccess.Approvers(List.of("dev", "dev2"), null),
                        new SiteAccess.Approvers(List.of("client"), null),
                        true),
                caches,
                List.of(),
                webhook));
    }
}
