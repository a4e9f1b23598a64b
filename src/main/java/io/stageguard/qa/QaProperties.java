package io.stageguard.qa;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How QA runs. What counts as a failure is not here: that is the {@code quality-gate} decision
 * table in {@code dmn/}, which operators can read in Cockpit and redeploy without a build.
 *
 * @param maxRounds        QA rounds a release may take before it ends as exhausted
 * @param viewports        screen widths every page is compared at
 * @param maxPageHeight    screenshots are cut at this height, so endless pages stay comparable
 * @param discoverPages    add pages found in the live site's sitemap and primary menu to the release's QA paths
 * @param maxPages         how many pages a round checks at most, the release's own QA paths first
 * @param sessions         browser sessions that check pages in parallel, per QA job
 * @param maxBrowsers      Chromium sessions Stageguard runs at once on this machine, over every job (a session past it waits)
 * @param bisectionTrials  how many subsets of the change set culprit search may try
 * @param chromiumBinary   the browser; Debian's chromium
 * @param chromedriver     the driver; given explicitly so Selenium Manager never downloads one
 * @param gridUrl          a Selenium Grid to run the browser sessions on instead of local chromedriver
 * @param hostResolverRules Chromium's {@code --host-resolver-rules}, e.g. {@code MAP * ~NOTFOUND, EXCLUDE 127.0.0.1} to keep
 *                          the browser on this machine (tests and the demo); unset for real sites
 */
@ConfigurationProperties("stageguard.qa")
public record QaProperties(
        Integer maxRounds,
        List<Viewport> viewports,
        Integer maxPageHeight,
        Boolean discoverPages,
        Integer maxPages,
        Integer sessions,
        Integer maxBrowsers,
        Integer bisectionTrials,
        String chromiumBinary,
        String chromedriver,
        String gridUrl,
        String hostResolverRules) {

    public record Viewport(String name, int width) {}

    public QaProperties {
        if (maxRounds == null) maxRounds = 3;
        if (viewports == null || viewports.isEmpty())
            viewports = List.of(new Viewport("desktop", 1366), new Viewport("phone", 390));
        if (maxPageHeight == null) maxPageHeight = 6000;
        if (discoverPages == null) discoverPages = true;
        if (maxPages == null) maxPages = 12;
        if (sessions == null) sessions = 2;
        if (maxBrowsers == null) maxBrowsers = 4;
        if (maxBrowsers < 1) throw new IllegalArgumentException("stageguard.qa.max-browsers must be at least 1");
        if (bisectionTrials == null) bisectionTrials = 16;
        if (chromiumBinary == null) chromiumBinary = "/usr/bin/chromium";
        if (chromedriver == null) chromedriver = "/usr/bin/chromedriver";
        if (gridUrl != null && gridUrl.isBlank()) gridUrl = null;
        if (hostResolverRules != null && hostResolverRules.isBlank()) hostResolverRules = null;
    }
}
