package io.stageguard.demo;

import io.stageguard.qa.PageDiscovery;
import io.stageguard.site.DatabaseConnection;
import io.stageguard.site.PhpProperties;
import io.stageguard.site.Site;
import io.stageguard.site.SiteAccess;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.site.SiteQa;
import io.stageguard.update.Change;
import io.stageguard.update.ChangeInstaller;
import io.stageguard.update.ChangeType;
import io.stageguard.wordpress.PageFetcher;
import io.stageguard.wordpress.WordPressPhp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * A live WordPress with hello-stageguard 1.0.0 active, an empty staging twin, both served on
 * 127.0.0.1 from one throwaway MariaDB, and the fixture packages to release.
 */
public final class DemoSite implements AutoCloseable {
    private final LocalMariaDb mariaDb;
    private final AutoCloseable liveServer;
    private final AutoCloseable stagingServer;
    private final Site site;
    private final Path packages;

    private DemoSite(
            LocalMariaDb mariaDb, AutoCloseable liveServer, AutoCloseable stagingServer, Site site, Path packages) {
        this.mariaDb = mariaDb;
        this.liveServer = liveServer;
        this.stagingServer = stagingServer;
        this.site = site;
        this.packages = packages;
    }

    /** Serves a document root on 127.0.0.1 at a port: php -S for the demo, nginx + PHP-FPM (+ Varnish) in some tests. */
    @FunctionalInterface
    public interface WebServer {
        AutoCloseable start(Path documentRoot, int port) throws IOException;
    }

    public static DemoSite create(Path dir, String siteId) throws IOException {
        return create(dir, siteId, LocalWordPress::serve, LocalWordPress::serve);
    }

    public static DemoSite create(Path dir, String siteId, WebServer liveServer, WebServer stagingServer)
            throws IOException {
        LocalMariaDb mariaDb = LocalMariaDb.start(dir.resolve("mariadb"));
        DatabaseConnection liveDb = mariaDb.createDatabase("live_wp", "live_user", secret(), "wp_");
        DatabaseConnection stagingDb = mariaDb.createDatabase("staging_wp", "staging_user", secret(), "wp_");
        int livePort = LocalWordPress.freePort();
        int stagingPort = LocalWordPress.freePort();
        String liveUrl = "http://127.0.0.1:" + livePort;
        String stagingUrl = "http://127.0.0.1:" + stagingPort;
        Path liveRoot = dir.resolve("live");
        Path stagingRoot = dir.resolve("staging");
        Path packages = dir.resolve("packages");
        for (String version : new String[] {"1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"}) {
            FixturePlugin.zip(version, packages);
        }
        LocalWordPress.install(liveRoot, liveUrl, liveDb, "Acme Demo Shop", secret());
        SiteEnvironment liveSite = new SiteEnvironment(liveUrl, liveRoot, liveDb);
        ChangeInstaller.with(new WordPressPhp(PhpProperties.defaults()))
                .install(
                        liveSite,
                        new Change(
                                ChangeType.PLUGIN,
                                FixturePlugin.SLUG,
                                "1.0.0",
                                packages.resolve(FixturePlugin.SLUG + "-1.0.0.zip")
                                        .toString()),
                        true);
        AutoCloseable live = liveServer.start(liveRoot, livePort);
        AutoCloseable staging = stagingServer.start(stagingRoot, stagingPort);
        warmUp(liveUrl);
        // the demo logins: dev is the site's developer, client its client (no one else's)
        SiteAccess access = new SiteAccess(
                new SiteAccess.Approvers(List.of("dev"), null),
                new SiteAccess.Approvers(List.of("client"), null),
                null);
        Site site = new Site(
                siteId, liveSite, new SiteEnvironment(stagingUrl, stagingRoot, stagingDb), SiteQa.NONE, access);
        return new DemoSite(mariaDb, live, staging, site, packages);
    }

    public Site site() {
        return site;
    }

    public LocalMariaDb mariaDb() {
        return mariaDb;
    }

    public Path fixturePackage(String version) {
        return packages.resolve(FixturePlugin.SLUG + "-" + version + ".zip");
    }

    /**
     * A fresh install writes rows on its first page views (rewrite rules, theme mods, the category
     * tree cache an archive page builds); a live site that has had visitors and crawlers already has
     * them, so every page a crawler would find gets its first visit here.
     */
    private static void warmUp(String liveUrl) throws IOException {
        try (PageFetcher fetcher = new PageFetcher()) {
            for (String path : new PageDiscovery(fetcher).pages(liveUrl, List.of("/"), 100))
                fetcher.get(liveUrl + path);
        }
    }

    private static String secret() {
        return UUID.randomUUID().toString().substring(0, 18);
    }

    @Override
    public void close() {
        try {
            stagingServer.close();
            liveServer.close();
        } catch (Exception e) {
            throw new IllegalStateException("stopping a web server failed", e);
        }
        mariaDb.close();
    }
}
