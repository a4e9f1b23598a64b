package io.stageguard.qa;

import io.stageguard.site.Site;
import io.stageguard.site.SiteQa;
import io.stageguard.wordpress.SiteHealthCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Logs into staging's wp-admin with the site's QA account and loads each admin screen, collecting
 * what would tell an administrator the update broke their dashboard: a PHP fatal, script errors,
 * failed requests, or a screen that no longer renders its admin body.
 */
final class AdminScreenCheck {
    private final Site site;
    private final Path dir;
    private final QaProperties.Viewport viewport;

    AdminScreenCheck(Site site, Path dir, QaProperties.Viewport viewport) {
        this.site = site;
        this.dir = dir;
        this.viewport = viewport;
    }

    List<QaReport.AdminResult> run(Browser browser, List<String> paths) throws IOException {
        SiteQa.AdminScreens admin = site.qa().admin();
        WebDriver driver = browser.driver();
        driver.get(site.staging().url("/wp-login.php"));
        // wp-login.php focuses and selects the user field 200 ms after loading; on a busy machine that lands while
        // the password is being typed and the keystrokes go to the wrong field, so type until both fields hold their
        // values
        WebElement user = driver.findElement(By.id("user_login"));
        WebElement password = driver.findElement(By.id("user_pass"));
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> {
            user.clear();
            user.sendKeys(admin.user());
            password.clear();
            password.sendKeys(admin.password());
            return admin.user().equals(user.getDomProperty("value"))
                    && admin.password().equals(password.getDomProperty("value"));
        });
        driver.findElement(By.id("wp-submit")).click();
        boolean loggedIn;
        try {
            loggedIn = new WebDriverWait(driver, Duration.ofSeconds(30))
                            .until(d -> d.getCurrentUrl().contains("/wp-admin/")
                                    || !d.findElements(By.id("login_error")).isEmpty())
                    && driver.getCurrentUrl().contains("/wp-admin/");
        } catch (TimeoutException e) {
            loggedIn = false;
        }
        if (!loggedIn) {
            return paths.stream()
                    .map(p -> new QaReport.AdminResult(
                            p, false, false, List.of("could not log into staging as " + admin.user()), List.of(), null))
                    .toList();
        }
        List<QaReport.AdminResult> results = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            Browser.Capture capture = browser.capture(site.staging().url(path), List.of(viewport), List.of());
            String image = "admin-" + (i + 1) + ".png";
            Files.write(dir.resolve(image), capture.png(viewport));
            boolean rendered = capture.html().contains("id=\"wpbody\"");
            results.add(new QaReport.AdminResult(
                    path,
                    rendered,
                    SiteHealthCheck.showsPhpFatal(capture.html()),
                    capture.consoleErrors(),
                    capture.failedRequests(),
                    image));
        }
        return results;
    }
}
