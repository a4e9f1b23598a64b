package io.stageguard.tasklist;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.qa.Browser;
import io.stageguard.qa.QaProperties;
import io.stageguard.site.SiteCaches;
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
class TasklistUiTest extends ReleasingApplicationTest {
    private static final Path SCREENSHOTS = Path.of("target/screenshots");

    @LocalServerPort int port;
    @Autowired QaProperties qa;

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
            org.awaitility.Awaitility.await("a client of another site sees no task").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> !web.findElement(By.cssSelector("body")).getText().contains("Developer sign-off"));

            logIn(web, "dev2");
            open(web, developerTask);
            wait(web).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("body"), "QA verdict"));
            assertThat(web.findElement(By.cssSelector("body")).getText()).contains("All tasks 1").contains("Release " + release)
                    .contains("Parity 100%").contains("Due in a day")
                    .as("the change set from the version live runs to the new one").contains("Live runs now").containsPattern("hello-stageguard\\s+1\\.0\\.0\\s+1\\.1\\.0");
            shoot(web, "developer-signoff.png");
            approve(web);
            assertThat(decidedBy(developerTask)).isEqualTo("dev2");

            Task clientTask = driver().awaitTask(release, "Task_ClientSignoff");
            logIn(web, "client");
            open(web, clientTask);
            wait(web).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("body"), "What this release changes"));
            assertThat(web.findElement(By.cssSelector("body")).getText()).as("the client's form speaks plainly").doesNotContain("SHA-256");
            shoot(web, "client-signoff.png");
            approve(web);
            assertThat(decidedBy(clientTask)).isEqualTo("client");

            driver().awaitTask(release, "Task_ConfirmDeploymentPlan");
            web.manage().deleteAllCookies();
            web.get("http://client:client@127.0.0.1:" + port + "/releases/" + release);
            wait(web).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("h1"), "Release " + release));
            assertThat(web.findElement(By.cssSelector("body")).getText()).contains("dev2").contains("client").contains("Running");
            shoot(web, "release-page.png");
        }
    }

    private void logIn(WebDriver web, String user) {
        web.manage().deleteAllCookies();
        web.get("http://127.0.0.1:" + port + "/camunda/app/tasklist/default/");
        wait(web).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("input[ng-model=username]"))).sendKeys(user);
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
                new WebDriverWait(web, Duration.ofSeconds(45)).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("body"), "All tasks"));
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
        click(web, By.xpath("//button[normalize-space(.)='Complete']"));
        wait(web).until(ExpectedConditions.invisibilityOfElementLocated(By.xpath("//button[normalize-space(.)='Complete']")));
    }

    /** Scrolled to the middle first: Tasklist's fixed footer covers the bottom of a long form. */
    private static void click(WebDriver web, By what) {
        WebElement element = wait(web).until(ExpectedConditions.elementToBeClickable(what));
        ((JavascriptExecutor) web).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
        try {
            wait(web).until(ExpectedConditions.elementToBeClickable(element)).click();
        } catch (ElementClickInterceptedException coveredStill) {
            // a form scrolled inside Tasklist's own pane can stay under its footer: the click the browser would route there
            ((JavascriptExecutor) web).executeScript("arguments[0].click();", element);
        }
    }

    private String decidedBy(Task task) {
        return org.awaitility.Awaitility.await("the task completed").atMost(Duration.ofSeconds(30)).until(() -> {
            HistoricTaskInstance done = history.createHistoricTaskInstanceQuery().taskId(task.getId()).finished().singleResult();
            return done == null ? null : done.getAssignee();
        }, who -> who != null);
    }

    private static WebDriverWait wait(WebDriver web) {
        // generous: on a busy two-core machine Tasklist (AngularJS plus its plugins) can take a while to boot
        return new WebDriverWait(web, Duration.ofSeconds(90));
    }

    private static void shoot(WebDriver web, String name) throws Exception {
        Files.write(SCREENSHOTS.resolve(name), ((TakesScreenshot) web).getScreenshotAs(OutputType.BYTES));
    }
}
