package io.stageguard.qa;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param maxPixelDifference share of pixels (0..1) that may differ between live and staging on a page
 * @param maxRounds          QA rounds a release may take before it ends as exhausted
 * @param viewportWidth      browser width for screenshots
 * @param maxPageHeight      screenshots are cut at this height, so endless pages stay comparable
 * @param chromiumBinary     the browser; Debian's chromium
 * @param chromedriver       the driver; given explicitly so Selenium Manager never downloads one
 */
@ConfigurationProperties("stageguard.qa")
public record QaProperties(Double maxPixelDifference, Integer maxRounds, Integer viewportWidth, Integer maxPageHeight,
                           String chromiumBinary, String chromedriver) {
    public QaProperties {
        if (maxPixelDifference == null) maxPixelDifference = 0.05;
        if (maxRounds == null) maxRounds = 3;
        if (viewportWidth == null) viewportWidth = 1366;
        if (maxPageHeight == null) maxPageHeight = 6000;
        if (chromiumBinary == null) chromiumBinary = "/usr/bin/chromium";
        if (chromedriver == null) chromedriver = "/usr/bin/chromedriver";
    }
}
