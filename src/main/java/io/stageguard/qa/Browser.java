package io.stageguard.qa;

import io.stageguard.ChildProcesses;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.remote.RemoteWebDriver;

/**
 * One headless Chromium session, local through chromedriver or on a Selenium Grid through the same
 * WebDriver calls, that renders pages the same way every time so that live and staging compare.
 */
public final class Browser implements AutoCloseable {
    /** The cookie the staging guard accepts; a cookie, unlike CDP headers, works on a Grid too. */
    static final String ACCESS_COOKIE = "stageguard_access";
    /** Motion, the caret and scrollbars make two renderings of the same page differ. */
    private static final String STILL_CSS = "*,*::before,*::after{animation:none!important;transition:none!important;"
            + "caret-color:transparent!important;scroll-behavior:auto!important}";

    private static final Pattern FAILED_RESOURCE = Pattern.compile(
            "^(\\S+) - Failed to load resource: (?:the server responded with a status of (\\d+)|(net::\\S+))");
    private final WebDriver driver;
    private final Path profile;
    private final QaProperties properties;

    /** How long the page took, as the browser measured it, and what it loaded. */
    public record Timing(long ttfbMillis, long domContentLoadedMillis, long loadMillis, int requests, long bytes) {}

    /**
     * @param pngs           per viewport name, in the order asked for, the page shot whole at that width
     * @param consoleErrors  console errors and uncaught exceptions, with the script's URL where the browser gives one
     * @param failedRequests sub-requests (scripts, styles, images, XHR) answered with 4xx/5xx, as "status URL"
     * @param status         the HTTP status of the page the browser ended on; 0 where the browser does not tell
     */
    public record Capture(
            Map<String, byte[]> pngs,
            String html,
            List<String> consoleErrors,
            List<String> failedRequests,
            Timing timing,
            int status) {
        byte[] png(QaProperties.Viewport viewport) {
            return pngs.get(viewport.name());
        }
    }

    /** Where a Stageguard keeps its browser profiles: the temp folder, each named for its JVM so a later start can remove a dead one's. */
    static final String PROFILE_HEAD = "stageguard-chromium-";
    /** Chromium sessions running now, over every job: at most {@code stageguard.qa.max-browsers}. */
    private static volatile java.util.concurrent.Semaphore running;

    public Browser(QaProperties properties) throws IOException {
        this.properties = properties;
        acquire(properties.maxBrowsers());
        try {
            this.profile = Files.createTempDirectory(
                    PROFILE_HEAD + ChildProcesses.self().replace('@', '-') + "-");
            this.driver = start(properties, profile);
        } catch (IOException | RuntimeException e) {
            running.release();
            throw e;
        }
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    /** Waits for a free place among the machine's browser sessions. */
    private static void acquire(int max) throws IOException {
        if (running == null) {
            synchronized (Browser.class) {
                if (running == null) running = new java.util.concurrent.Semaphore(max, true);
            }
        }
        try {
            running.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a browser session", e);
        }
    }

    /** Sessions that may still start now (for the tests of the cap). */
    static int placesFree() {
        return running == null ? -1 : running.availablePermits();
    }

    private static WebDriver start(QaProperties properties, Path profile) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.addArguments(
                "--headless=new",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                "--font-render-hinting=none");
        if (properties.hostResolverRules() != null)
            options.addArguments("--host-resolver-rules=" + properties.hostResolverRules());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        if (properties.gridUrl() != null) {
            // a Grid node starts its browsers its own way, often as root in a container, where Chromium cannot sandbox
            // itself
            options.addArguments("--no-sandbox");
            return new RemoteWebDriver(URI.create(properties.gridUrl()).toURL(), options);
        }
        // chromedriver and the Chromium it starts die with Stageguard, and carry its mark for the sweep at the next
        // start;
        // Chromium keeps its sandbox, as a user of its own where Stageguard is root
        Path wrappers = Path.of(
                System.getProperty("java.io.tmpdir"),
                WRAPPERS_HEAD + ChildProcesses.self().replace('@', '-'));
        List<String> runAs = BrowserUser.runAs(profile, wrappers.resolve("home"));
        options.setBinary(ChildProcesses.wrapperFor(Path.of(properties.chromiumBinary()), wrappers, runAs)
                .toString());
        options.addArguments("--user-data-dir=" + profile);
        Map<String, String> environment = new java.util.HashMap<>();
        ChildProcesses.mark(environment);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(
                        ChildProcesses.wrapperFor(Path.of(properties.chromedriver()), wrappers, List.of())
                                .toFile())
                .withEnvironment(environment)
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    /** The folder of a JVM's scripts that start chromedriver and Chromium dying with it. */
    static final String WRAPPERS_HEAD = "stageguard-browser-bin-";

    /** Lets this session past the staging guard of the site at {@code stagingBaseUrl}; the cookie goes to that host only. */
    public void admitTo(String stagingBaseUrl, String token) {
        driver.get(stagingBaseUrl + "/robots.txt"); // answered before the guard asks for credentials
        driver.manage().addCookie(new Cookie(ACCESS_COOKIE, token, "/"));
    }

    public WebDriver driver() {
        return driver;
    }

    /**
     * The window as PNG. Where the driver speaks Chromium's DevTools protocol (a local session),
     * Chromium's own capture with its fast PNG encoding: a page shot whole is large, and the default
     * encoding spends most of the capture compressing it. On a Grid, WebDriver's screenshot.
     */
    byte[] screenshot() {
        if (driver instanceof org.openqa.selenium.chromium.HasCdp cdp) {
            Map<String, Object> shot =
                    cdp.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png", "optimizeForSpeed", true));
            return java.util.Base64.getDecoder().decode((String) shot.get("data"));
        }
        return ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    }

    /** The session's own Chromium profile folder, removed when it closes. */
    Path profile() {
        return profile;
    }

    /**
     * Loads a page once and captures it whole at each viewport width in turn: the first width is
     * the one it loads at; for each further one the window takes that width and the page lays
     * itself out again, as it does when a visitor turns a tablet or narrows a window (what
     * responsive CSS and scripts answer), without a second load. Each width is stilled, sized and
     * settled on its own. The window is made as tall as the page before anything settles, so lazy
     * content (native or scripted) is in view and loads without scrolling through the page. The
     * load, the log and the page's source are taken once: on a 2-core machine a page load and its
     * WebDriver round trips cost as much as a full-page screenshot.
     */
    public Capture capture(String url, List<QaProperties.Viewport> viewports, List<String> masks) {
        driver.manage().window().setSize(new Dimension(viewports.get(0).width(), MEASURING_HEIGHT));
        driver.manage().logs().get(LogType.BROWSER); // drop what earlier pages logged
        driver.get(url);
        JavascriptExecutor js = (JavascriptExecutor) driver;
        String maskCss = masks.isEmpty() ? "" : String.join(",", masks) + "{visibility:hidden!important}";
        List<?> size = (List<?>) js.executeScript(STILL, STILL_CSS + maskCss);
        long frame = num(size.get(1));
        long scrollHeight = num(size.get(0));
        Map<String, byte[]> pngs = new java.util.LinkedHashMap<>();
        Map<String, Object> settled = null;
        for (QaProperties.Viewport viewport : viewports) {
            if (!pngs.isEmpty()) {
                // measured at the usual height first: in a window taller than the page the page would measure as tall
                // as the window
                driver.manage().window().setSize(new Dimension(viewport.width(), MEASURING_HEIGHT));
                scrollHeight = num(js.executeScript(MEASURE));
            }
            long height = fit(viewport, scrollHeight, frame);
            @SuppressWarnings("unchecked")
            Map<String, Object> now = (Map<String, Object>) js.executeAsyncScript(SETTLE, settled == null);
            if (settled == null) settled = now;
            // what loaded once in view (images without set dimensions, lazy blocks) may have made the page taller
            if (pageHeight(num(now.get("height"))) != height) {
                fit(viewport, num(now.get("height")), frame);
                js.executeAsyncScript(
                        "var done=arguments[arguments.length-1];requestAnimationFrame(function(){requestAnimationFrame(function(){done()})})");
            }
            pngs.put(viewport.name(), screenshot());
        }
        Timing timing = new Timing(
                num(settled.get("ttfb")),
                num(settled.get("dcl")),
                num(settled.get("load")),
                (int) num(settled.get("requests")),
                num(settled.get("bytes")));
        List<String> consoleErrors = new ArrayList<>();
        List<String> failedRequests = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER).getAll()) {
            if (entry.getLevel().intValue() < Level.SEVERE.intValue()) continue;
            Matcher failed = FAILED_RESOURCE.matcher(entry.getMessage());
            if (failed.find()) {
                String resource = failed.group(1);
                // the page's own status is reported as such; only its sub-requests count here. A network error
                // reaching another host (an avatar service, a CDN) says more about where Stageguard runs than about the
                // release.
                // the tab icon is fetched by the browser on its own time, not by the page: whether its answer is
                // logged before the capture ends is a race, so it never counts
                boolean ownPage =
                        resource.equals(url) || resource.equals(driver.getCurrentUrl()) || isTabIcon(resource);
                boolean networkErrorElsewhere = failed.group(3) != null && !sameHost(resource, url);
                if (!ownPage && !networkErrorElsewhere) {
                    failedRequests.add((failed.group(2) != null ? failed.group(2) : failed.group(3)) + " " + resource);
                }
            } else {
                consoleErrors.add(entry.getMessage());
            }
        }
        return new Capture(pngs, (String) settled.get("html"), consoleErrors, failedRequests, timing, (int)
                num(settled.get("status")));
    }

    /** The window's height while a page is measured at a new width. */
    private static final int MEASURING_HEIGHT = 900;

    /** Sizes the window so its viewport holds a page of this height (the window size includes the browser's frame); returns the height used. */
    private long fit(QaProperties.Viewport viewport, long pageHeight, long frame) {
        long height = pageHeight(pageHeight);
        driver.manage().window().setSize(new Dimension(viewport.width(), (int) (height + frame)));
        return height;
    }

    private long pageHeight(long scrollHeight) {
        return Math.min(Math.max(scrollHeight, 600), properties.maxPageHeight());
    }

    /** Motion off, caret and masked regions hidden, lazy images made eager; answers the page's height and the browser frame's. */
    private static final String STILL = """
            var s = document.createElement('style'); s.textContent = arguments[0]; (document.head || document.documentElement).appendChild(s);
            Array.from(document.images).forEach(function (i) { if (i.loading === 'lazy') i.loading = 'eager'; });
            return [Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0), window.outerHeight - window.innerHeight];
            """;

    /** The page's height as laid out now. */
    private static final String MEASURE =
            "return Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0);";

    /**
     * Waits (10 s at most) for images and web fonts, drops focus, lets two frames render; answers
     * the page's height then, its status and how the load went, as the browser measured it, and
     * (if its argument is true) its source: one round trip fewer than asking for it apart.
     */
    private static final String SETTLE = """
            var withSource = arguments[0], done = arguments[arguments.length - 1];
            requestAnimationFrame(function () {
              var pending = Array.from(document.images).filter(function (i) { return !i.complete; })
                .map(function (i) { return new Promise(function (r) { i.addEventListener('load', r); i.addEventListener('error', r); }); });
              if (document.fonts) pending.push(document.fonts.ready);
              var timeout = new Promise(function (r) { setTimeout(r, 10000); });
              Promise.race([Promise.all(pending), timeout]).then(function () {
                if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
                requestAnimationFrame(function () { requestAnimationFrame(function () {
                  var n = performance.getEntriesByType('navigation')[0] || {};
                  var r = performance.getEntriesByType('resource');
                  done({height: Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0), status: n.responseStatus || 0,
                        ttfb: Math.round(n.responseStart || 0), dcl: Math.round(n.domContentLoadedEventEnd || 0), load: Math.round(n.loadEventEnd || 0),
                        requests: r.length + 1, bytes: (n.transferSize || 0) + r.reduce(function (t, e) { return t + (e.transferSize || 0); }, 0),
                        html: withSource ? document.documentElement.outerHTML : null});
                }); });
              });
            });
            """;

    private static boolean isTabIcon(String resource) {
        try {
            return "/favicon.ico".equals(URI.create(resource).getPath());
        } catch (IllegalArgumentException notAUrl) {
            return false;
        }
    }

    private static boolean sameHost(String a, String b) {
        try {
            return URI.create(a).getHost().equalsIgnoreCase(URI.create(b).getHost());
        } catch (IllegalArgumentException | NullPointerException notAUrl) {
            return false;
        }
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    /**
     * Ends the session in the background: Chromium's orderly exit and chromedriver's take seconds on
     * a busy machine, and nothing the caller does next waits on them. The session's place among the
     * machine's browsers is given back only once both are gone, so the cap still counts them; if
     * Stageguard dies first, they die with it and the next start removes the profile.
     */
    @Override
    public void close() {
        CLOSING.execute(() -> {
            try {
                driver.quit();
            } catch (RuntimeException e) {
                LOG.warn("A browser session did not end cleanly: {}", e.getMessage());
            } finally {
                running.release();
                try (var files = Files.walk(profile)) {
                    files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                } catch (IOException | java.io.UncheckedIOException e) {
                    LOG.warn("Could not remove the browser profile {}: {}", profile, e.getMessage());
                }
            }
        });
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Browser.class);
    private static final java.util.concurrent.Executor CLOSING =
            java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "stageguard-browser-close");
                t.setDaemon(true);
                return t;
            });
}
