package io.stageguard.tasklist;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.qa.Browser;
import io.stageguard.qa.QaProperties;
import io.stageguard.site.SiteCaches;
import io.stageguard.testsupport.OwnPagesQa;
import io.stageguard.testsupport.ReleasingApplicationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The sign-offs as people give them: in the real Camunda Tasklist, in headless Chromium, not
 * through the task API. A developer and then the client log in, see only their site's task with
 * its due date, read the form, claim and approve; someone without a part in the site sees no task.
 * The screenshots go to target/screenshots/ (the ones in docs/screenshots/ were taken this way),
 * with the release page as the client sees it afterwards.
 */
@OwnPagesQa
class TasklistUiTest extends ReleasingApplicationTest {
    private static final Path SCREENSHOTS = Path.of("target/screenshots");

    @LocalServerPort
    int port;

    @Autowired
    QaProperties qa;

    @Test
    void aDeveloperAndTheClientSignOffInTheRealTasklist() throws Exception {
        registerAcme(SiteCaches.NONE);
        String release = driver().startRelease(List.of("/"), "1.1.0");
        Task developerTask = driver().awaitTask(release, "Task_DeveloperSignoff");
        Files.createDirectories(SCREENSHOTS);
        try (Browser browser = new Browser(qa)) {
            WebDriver web = browser.driver();
            web.manage().window().setSize(new Dimension(1400, 1100));

            logIn(web, "otherclient");
            open(web, developerTask);
            // what is absent can only be seen over time: the task list stays without the task while Tasklist loads it
            org.awaitility.Awaitility.await("a client of another site sees no task")
                    .during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10))
                    .until(() ->
                            !web.findElement(By.cssSelector("body")).getText().contains("Developer sign-off"));

            logIn(web, "dev2");
            open(web, developerTask);
            wait(web).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("body"), "QA verdict"));
            assertThat(web.findElement(By.cssSelector("body")).getText())
                    .contains("All tasks 1")
                    .contains("Release " + release)
                    .contains("Parity 100%")
                    .contains("Due in a day")
                    .as("the change set from the version live runs to the new one")
                    .contains("Live runs now")
                    .containsPattern("hello-stageguard\\s+1\\.0\\.0\\s+1\\.1\\.0");
            shoot(web, "developer-signoff.png");
            assertThumbnailsShown(web);
            shoot(web, "developer-signoff-thumbnails.png");
            approve(web);
            assertThat(decidedBy(developerTask)).isEqualTo("dev2");

            Task clientTask = driver().awaitTask(release, "Task_ClientSignoff");
            logIn(web, "client");
            open(web, clientTask);
            wait(web)
                    .until(ExpectedConditions.textToBePresentInElementLocated(
                            By.cssSelector("body"), "What this release changes"));
            assertThat(web.findElement(By.cssSelector("body")).getText())
                    .as("the client's form speaks plainly")
                    .doesNotContain("SHA-256");
            shoot(web, "client-signoff.png");
            approve(web);
            assertThat(decidedBy(clientTask)).isEqualTo("client");

            driver().awaitTask(release, "Task_ConfirmDeploymentPlan");
            web.manage().deleteAllCookies();
            web.get("http://client:client@127.0.0.1:" + port + "/releases/" + release);
            wait(web)
                    .until(ExpectedConditions.textToBePresentInElementLocated(
                            By.cssSelector("h1"), "Release " + release));
            assertThat(web.findElement(By.cssSelector("body")).getText())
                    .contains("dev2")
                    .contains("client")
                    .contains("Running");
            shoot(web, "release-page.png");
        }
    }

    /**
     * A developer rejects a release of two changes, then revises it by ticking one to drop (no JSON
     * typed); the next QA round tests the other alone.
     */
    @Test
    void aDeveloperRevisesTheChangeSetByTickingAChangeToDrop() throws Exception {
        registerAcme(SiteCaches.NONE);
        java.nio.file.Path helper = io.stageguard.testsupport.QaFixtures.zip(
                "sg-new-helper", "1.0.0", Files.createTempDirectory("packages"));
        String release = driver().startRelease(
                        List.of("/"),
                        "1.1.0",
                        java.util.Map.of(
                                "type",
                                "plugin",
                                "slug",
                                "sg-new-helper",
                                "version",
                                "1.0.0",
                                "package",
                                helper.toString()));
        Task developerTask = driver().awaitTask(release, "Task_DeveloperSignoff");
        Files.createDirectories(SCREENSHOTS);
        try (Browser browser = new Browser(qa)) {
            WebDriver web = browser.driver();
            web.manage().window().setSize(new Dimension(1400, 1100));
            logIn(web, "dev2");
            open(web, developerTask);
            click(web, By.cssSelector("button.claim"));
            click(web, By.xpath("//label[contains(., 'Reject')]"));
            WebElement comment = wait(web)
                    .until(ExpectedConditions.elementToBeClickable(
                            By.cssSelector("textarea[id*='developerComment'], .fjs-form-field-textarea textarea")));
            comment.sendKeys("sg-new-helper is not wanted on this site yet");
            complete(web);

            Task revise = driver().awaitTask(release, "Task_ReviseChangeSet");
            open(web, revise);
            wait(web)
                    .until(ExpectedConditions.textToBePresentInElementLocated(
                            By.cssSelector("body"), "sg-new-helper is not wanted"));
            click(web, By.cssSelector("button.claim"));
            click(web, By.xpath("//label[contains(., 'Revise and test again')]"));
            // a version that is no version is shown on its field; a half-filled change is refused with the fields
            // named, nothing saved
            WebElement slug = web.findElement(By.cssSelector("input[id*='revise_change_set_added_slug']"));
            WebElement version = web.findElement(By.cssSelector("input[id*='revise_change_set_added_version']"));
            slug.sendKeys("sg-extra");
            version.sendKeys("one dot oh");
            slug.click();
            wait(web).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".fjs-form-field-error")));
            retype(version, "1.0.0");
            click(web, By.xpath("//button[normalize-space(.)='Complete']"));
            wait(web)
                    .until(ExpectedConditions.textToBePresentInElementLocated(
                            By.cssSelector("body"), "addedPackage: is required"));
            assertThat(web.findElement(By.cssSelector("body")).getText())
                    .contains("addedType: must be plugin, theme or core");
            retype(slug, "");
            retype(version, "");
            click(web, By.xpath("//label[contains(., 'plugin sg-new-helper 1.0.0')]"));
            shoot(web, "revise-change-set.png");
            complete(web);

            driver().awaitTask(release, "Task_DeveloperSignoff");
            java.util.Map<String, Object> variables =
                    io.stageguard.testsupport.ReleaseDriver.variables(driver().status(release));
            assertThat(String.valueOf(variables.get("changes")))
                    .contains("hello-stageguard")
                    .doesNotContain("sg-new-helper");
            assertThat(variables.get("qaRound")).isEqualTo(2);
        }
    }

    /** The form shows the most changed pages as live / staging / difference thumbnails, loaded with the Tasklist session. */
    private static void assertThumbnailsShown(WebDriver web) {
        WebElement heading = wait(web)
                .until(ExpectedConditions.visibilityOfElementLocated(
                        By.xpath("//h3[normalize-space(.)='Pages that changed most']")));
        ((JavascriptExecutor) web).executeScript("arguments[0].scrollIntoView({block: 'start'});", heading);
        List<WebElement> thumbnails =
                web.findElements(By.cssSelector("img[alt^='before '], img[alt^='after '], img[alt^='difference ']"));
        assertThat(thumbnails).hasSizeGreaterThanOrEqualTo(3);
        org.awaitility.Awaitility.await("the thumbnails load")
                .atMost(Duration.ofSeconds(30))
                .until(() -> thumbnails.stream()
                        .allMatch(img -> ((Number) ((JavascriptExecutor) web)
                                                .executeScript(
                                                        "return arguments[0].complete ? arguments[0].naturalWidth : 0;",
                                                        img))
                                        .intValue()
                                == io.stageguard.qa.QaThumbnails.WIDTH));
    }

    /** Replaces a form-js field's text as typing would (form-js reads input events, which clear() does not send). */
    private static void retype(WebElement field, String text) {
        field.sendKeys(
                org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"),
                org.openqa.selenium.Keys.BACK_SPACE);
        if (!text.isEmpty()) field.sendKeys(text);
    }

    private void logIn(WebDriver web, String user) {
        web.manage().deleteAllCookies();
        web.get("http://127.0.0.1:" + port + "/camunda/app/tasklist/default/");
        wait(web)
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("input[ng-model=username]")))
                .sendKeys(user);
        web.findElement(By.cssSelector("input[ng-model=password]")).sendKeys(user);
        web.findElement(By.cssSelector("button[type=submit]")).click();
        wait(web).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("body"), "All tasks"));
    }

    /**
     * Opens the task's link and reloads it (Tasklist reads the hash only on load). On a loaded
     * machine the single-page app sometimes never finishes that first load; one more reload,
     * as a person would press, brings it.
     */
    private void open(WebDriver web, Task task) {
        web.get("http://127.0.0.1:" + port + "/camunda/app/tasklist/default/#/?task=" + task.getId());
        for (int attempt = 1; ; attempt++) {
            web.navigate().refresh();
            try {
                new WebDriverWait(web, Duration.ofSeconds(45))
                        .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("body"), "All tasks"));
                return;
            } catch (org.openqa.selenium.TimeoutException stillLoading) {
                if (attempt == 3) throw stillLoading;
            }
        }
    }

    /** Claims the open task, chooses Approve and completes it, as a person would. */
    private void approve(WebDriver web) {
        click(web, By.cssSelector("button.claim"));
        click(web, By.xpath("//label[contains(., 'Approve')]"));
        complete(web);
    }

    private static void complete(WebDriver web) {
        click(web, By.xpath("//button[normalize-space(.)='Complete']"));
        wait(web)
                .until(ExpectedConditions.invisibilityOfElementLocated(
                        By.xpath("//button[normalize-space(.)='Complete']")));
    }

    /** Scrolled to the middle first: Tasklist's fixed footer covers the bottom of a long form. */
    private static void click(WebDriver web, By what) {
        WebElement element = wait(web).until(ExpectedConditions.elementToBeClickable(what));
        ((JavascriptExecutor) web).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
        try {
            wait(web).until(ExpectedConditions.elementToBeClickable(element)).click();
        } catch (ElementClickInterceptedException coveredStill) {
            // a form scrolled inside Tasklist's own pane can stay under its footer: the click the browser would route
            // there
            ((JavascriptExecutor) web).executeScript("arguments[0].click();", element);
        }
    }

    private String decidedBy(Task task) {
        return org.awaitility.Awaitility.await("the task completed")
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            HistoricTaskInstance done = history.createHistoricTaskInstanceQuery()
                                    .taskId(task.getId())
                                    .finished()
                                    .singleResult();
                            return done == null ? null : done.getAssignee();
                        },
                        who -> who != null);
    }

    private static WebDriverWait wait(WebDriver web) {
        // generous: on a busy two-core machine Tasklist (AngularJS plus its plugins) can take a while to boot
        return new WebDriverWait(web, Duration.ofSeconds(90));
    }

    private static void shoot(WebDriver web, String name) throws Exception {
        Files.write(SCREENSHOTS.resolve(name), ((TakesScreenshot) web).getScreenshotAs(OutputType.BYTES));
    }
}
