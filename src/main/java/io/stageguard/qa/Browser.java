package io.stageguard.qa;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/** One headless Chromium session, started and configured the same way for live and staging. */
public final class Browser implements AutoCloseable {
    /** Motion and the text caret make two renderings of the same page differ. */
    private static final String STILL_CSS = "*,*::before,*::after{animation:none!important;transition:none!important;"
            + "caret-color:transparent!important;scroll-behavior:auto!important}";
    private final ChromeDriver driver;
    private final Path profile;
    private final QaProperties properties;

    public record Capture(byte[] png, String html, List<String> consoleErrors) {
    }

    public Browser(QaProperties properties) throws IOException {
        this.properties = properties;
        this.profile = Files.createTempDirectory("stageguard-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(properties.chromiumBinary());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--force-device-scale-factor=1", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(properties.chromedriver()))
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        driver.executeCdpCommand("Network.enable", Map.of());
    }

    /** Loads a page and captures it; {@code headers} go with every request of this page (the staging credential), and only of this page. */
    public Capture capture(String url, Map<String, String> headers) {
        driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", headers));
        driver.manage().logs().get(LogType.BROWSER); // drop what earlier pages logged
        driver.manage().window().setSize(new Dimension(properties.viewportWidth(), 900));
        driver.get(url);
        JavascriptExecutor js = driver;
        js.executeScript("var s=document.createElement('style');s.textContent=arguments[0];document.head.appendChild(s);", STILL_CSS);
        js.executeAsyncScript("var done=arguments[arguments.length-1];"
                + "Promise.all([document.fonts?document.fonts.ready:null].concat(Array.from(document.images)"
                + ".filter(function(i){return !i.complete}).map(function(i){return new Promise(function(r){i.onload=i.onerror=r})})))"
                + ".then(function(){done()})");
        long height = ((Number) js.executeScript("return Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)")).longValue();
        // the window size includes the browser's own frame; the page needs the viewport to hold all of it
        long frame = ((Number) js.executeScript("return window.outerHeight - window.innerHeight")).longValue();
        long viewport = Math.min(Math.max(height, 600), properties.maxPageHeight());
        driver.manage().window().setSize(new Dimension(properties.viewportWidth(), (int) (viewport + frame)));
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        List<String> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
        return new Capture(png, driver.getPageSource(), errors);
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
