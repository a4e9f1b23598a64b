package io.stageguard.qa;

import io.stageguard.site.Site;
import io.stageguard.site.UserFlow;
import io.stageguard.wordpress.WordPressTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Walks a site's user flows on staging the way a visitor would: real clicks on real buttons (so a
 * script that blocks a form is caught), then checks what the visitor would see, and the mail the
 * staging guard captured.
 */
final class FlowRunner {
    private static final Duration EXPECT_WITHIN = Duration.ofSeconds(5);
    private final Site site;
    private final Path dir;

    FlowRunner(Site site, Path dir) {
        this.site = site;
        this.dir = dir;
    }

    QaReport.FlowResult run(Browser browser, UserFlow flow, String fileStem) throws IOException {
        WebDriver driver = browser.driver();
        long mailMark = lastMailId();
        List<QaReport.StepResult> steps = new ArrayList<>();
        for (UserFlow.Step step : flow.steps()) {
            String error;
            try {
                error = perform(driver, step, mailMark);
            } catch (WebDriverException e) {
                error = e.getMessage().lines().findFirst().orElse(e.getClass().getSimpleName());
            }
            if (error == null) {
                steps.add(new QaReport.StepResult(step.describe(), true, null, null, null));
                continue;
            }
            String stem = fileStem + "-step-" + (steps.size() + 1);
            Files.write(dir.resolve(stem + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            Files.writeString(dir.resolve(stem + ".html"), driver.getPageSource(), StandardCharsets.UTF_8);
            steps.add(new QaReport.StepResult(step.describe(), false, error, stem + ".png", stem + ".html"));
            return new QaReport.FlowResult(flow.name(), false, steps);
        }
        return new QaReport.FlowResult(flow.name(), true, steps);
    }

    /** Performs one step; returns what went wrong, or null. */
    private String perform(WebDriver driver, UserFlow.Step step, long mailMark) {
        switch (step.action()) {
            case "visit" -> {
                driver.get(site.staging().url(step.path()));
                return null;
            }
            case "fill" -> {
                WebElement field = driver.findElement(By.cssSelector(step.selector()));
                field.clear();
                field.sendKeys(step.value());
                return null;
            }
            case "select" -> {
                Select select = new Select(driver.findElement(By.cssSelector(step.selector())));
                try {
                    select.selectByVisibleText(step.value());
                } catch (WebDriverException notAText) {
                    select.selectByValue(step.value());
                }
                return null;
            }
            case "click" -> {
                clickAndSettle(driver, driver.findElement(By.cssSelector(step.selector())));
                return null;
            }
            case "submit" -> {
                // through the form's own button, as a visitor would: form.submit() would skip the page's scripts
                WebElement target = driver.findElement(By.cssSelector(step.selector()));
                if (target.getTagName().equalsIgnoreCase("form")) {
                    List<WebElement> buttons = target.findElements(By.cssSelector("[type=submit], button:not([type])"));
                    if (buttons.isEmpty()) return "the form " + step.selector() + " has no submit button";
                    target = buttons.get(0);
                }
                clickAndSettle(driver, target);
                return null;
            }
            case "expectText" -> {
                return eventually(() ->
                                driver.findElement(By.tagName("body")).getText().contains(step.text()))
                        ? null
                        : "the page does not show \"" + step.text() + "\" (at " + driver.getCurrentUrl() + ")";
            }
            case "expectUrl" -> {
                return eventually(() -> driver.getCurrentUrl().contains(step.text()))
                        ? null
                        : "the URL is " + driver.getCurrentUrl() + ", without \"" + step.text() + "\"";
            }
            case "expectElement" -> {
                return eventually(() -> !driver.findElements(By.cssSelector(step.selector()))
                                .isEmpty())
                        ? null
                        : "no element matches " + step.selector() + " (at " + driver.getCurrentUrl() + ")";
            }
            case "expectMail" -> {
                return eventually(() -> mailContaining(step.text(), mailMark))
                        ? null
                        : "staging captured no mail containing \"" + step.text() + "\"";
            }
            default -> throw new IllegalArgumentException("unknown flow action " + step.action());
        }
    }

    /** Clicks, then waits for whatever the click started (a navigation, usually) to finish loading. */
    private static void clickAndSettle(WebDriver driver, WebElement element) {
        Object before = ((JavascriptExecutor) driver).executeScript("return window.performance.timeOrigin");
        element.click();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long quietUntil = System.nanoTime() + Duration.ofMillis(500).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                JavascriptExecutor js = (JavascriptExecutor) driver;
                boolean navigated = !String.valueOf(before)
                        .equals(String.valueOf(js.executeScript("return window.performance.timeOrigin")));
                boolean loaded = "complete".equals(js.executeScript("return document.readyState"));
                if (loaded && (navigated || System.nanoTime() > quietUntil)) return;
            } catch (WebDriverException navigating) {
                // the old page is gone and the new one is not there yet
            }
            pause();
        }
    }

    private static boolean eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + EXPECT_WITHIN.toNanos();
        do {
            try {
                if (condition.getAsBoolean()) return true;
            } catch (WebDriverException | IllegalStateException retry) {
                // the page is still changing
            }
            pause();
        } while (System.nanoTime() < deadline);
        return false;
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private String mailTable() {
        return site.staging().database().tablePrefix() + "stageguard_mail";
    }

    /** The newest captured mail's id; 0 before the first (the guard creates the table with it), asked without an error for the log. */
    private long lastMailId() {
        return mailQuery("SELECT COALESCE(MAX(id), 0) FROM " + WordPressTables.quote(mailTable()));
    }

    private boolean mailContaining(String text, long after) {
        return mailQuery(
                        "SELECT COUNT(*) FROM " + WordPressTables.quote(mailTable())
                                + " WHERE id > ? AND (INSTR(subject, ?) > 0 OR INSTR(message, ?) > 0)",
                        after,
                        text,
                        text)
                > 0;
    }

    private long mailQuery(String query, Object... parameters) {
        try (Connection c = site.staging().database().open()) {
            if (!WordPressTables.exists(c, mailTable())) return 0;
            try (PreparedStatement ps = c.prepareStatement(query)) {
                for (int i = 0; i < parameters.length; i++) ps.setObject(i + 1, parameters[i]);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        } catch (SQLException unreadable) {
            return 0;
        }
    }
}
