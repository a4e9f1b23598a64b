package io.stageguard.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import io.stageguard.site.SiteCaches;
import io.stageguard.site.SiteWebhook;
import io.stageguard.testsupport.OwnPagesQa;
import io.stageguard.testsupport.ReleaseDriver;
import io.stageguard.testsupport.ReleasingApplicationTest;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sign-off clock on a real release, with mail through a real SMTP server (GreenMail, in this
 * process) and the engine's clock moved instead of waiting: the developers hear of their task with
 * its Tasklist link, are reminded after 4 hours, the operators are told and may act after 24, and
 * after 3 days the release ends as expired and its starter is told. The site's webhook (a receiver
 * on 127.0.0.1 standing in for Slack) hears the same events as JSON with a Slack-compatible text.
 */
@OwnPagesQa
class SignoffClockTest extends ReleasingApplicationTest {
    private static final GreenMail SMTP = new GreenMail(ServerSetupTest.SMTP.dynamicPort());

    static {
        SMTP.start();
    }

    @DynamicPropertySource
    static void mailServer(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
    }

    @AfterAll
    static void stopMailServer() {
        SMTP.stop();
    }

    @AfterEach
    void resetClock() {
        ClockUtil.reset();
    }

    @Test
    void aSignoffNobodyGivesIsAnnouncedRemindedEscalatedAndExpires() throws Exception {
        List<JsonNode> posted = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer slack = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slack.createContext("/services/T000/B000/secret", exchange -> {
            posted.add(new ObjectMapper().readTree(exchange.getRequestBody()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        slack.start();
        try {
            registerAcme(
                    SiteCaches.NONE,
                    new SiteWebhook(
                            "http://127.0.0.1:" + slack.getAddress().getPort() + "/services/T000/B000/secret", null));
            signoffNobodyGives(posted);
        } finally {
            slack.stop(0);
        }
    }

    private void signoffNobodyGives(List<JsonNode> posted) throws Exception {
        String release = driver().startRelease(List.of("/"), "1.1.0");
        // while QA's job runs (the history shows it only when it commits) the status says what works and how far it is
        Map<String, Object> working = Awaitility.await("QA's progress in the status")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> ((List<Map<String, Object>>)
                                        driver().status(release).get("working"))
                                .stream()
                                        .filter(w -> String.valueOf(w.get("progress"))
                                                .matches("\\d+ of \\d+ pages checked"))
                                        .findFirst()
                                        .orElse(null),
                        w -> w != null);
        assertThat(working.get("step")).isEqualTo("Compare staging with and without the changes in Chromium");
        Task task = driver().awaitTask(release, "Task_DeveloperSignoff");
        assertThat((Map<String, Object>) driver().asOperator()
                        .getForObject("/api/sites/acme", Map.class)
                        .get("stagingState"))
                .as("staging says what it is")
                .containsEntry("kind", "UNDER_TEST")
                .containsEntry("releaseId", release);
        assertThat(task.getDueDate())
                .as("due a day after it was created")
                .isCloseTo(Date.from(Instant.now().plus(Duration.ofDays(1))), 120_000);

        MimeMessage waiting = awaitMail(release, "waits for you");
        assertThat(recipients(waiting)).containsExactlyInAnyOrder("dev@example.test", "dev2@example.test");
        assertThat(waiting.getSubject())
                .isEqualTo("[Stageguard] Developer sign-off of release " + release + " (acme) waits for you");
        String body = GreenMailUtil.getBody(waiting);
        assertThat(body)
                .contains("/camunda/app/tasklist/default/#/?task=" + task.getId())
                .contains("/reports/" + release + "/")
                .contains("/releases/" + release);

        moveClock(Duration.ofHours(4).plusMinutes(1));
        MimeMessage reminder = awaitMail(release, "still waits for you (reminder)");
        assertThat(recipients(reminder)).containsExactlyInAnyOrder("dev@example.test", "dev2@example.test");
        assertThat(GreenMailUtil.getBody(reminder)).contains("?task=" + task.getId());

        moveClock(Duration.ofHours(20));
        MimeMessage escalation = awaitMail(release, "escalated to the operators");
        assertThat(recipients(escalation)).containsExactly("operator@example.test");
        assertThat(tasks.getIdentityLinksForTask(task.getId()))
                .as("the operators may now act beside the site's developers")
                .extracting(link -> link.getGroupId() != null ? link.getGroupId() : link.getUserId())
                .containsExactlyInAnyOrder(Groups.CAMUNDA_ADMIN, "dev", "dev2");

        moveClock(Duration.ofDays(2));
        Map<String, Object> status = driver().awaitEnd(release);
        assertThat(status.get("outcome")).isEqualTo("Approval expired");
        assertThat((String) ReleaseDriver.variables(status).get("signoffClock"))
                .contains("Developer sign-off reminded at")
                .contains("Developer sign-off escalated to the operators at")
                .contains("no sign-off within PT72H: the release expired at");
        MimeMessage ended = awaitMail(release, "Approval expired");
        assertThat(recipients(ended)).containsExactly("ci@example.test");
        assertThat(GreenMailUtil.getBody(ended))
                .contains("ended: Approval expired")
                .contains("Sign-off clock:");
        // one delivery per recipient: the task to two developers, their reminder, the escalation to the operator, the
        // end to the starter
        assertThat(SMTP.getReceivedMessages())
                .as("nobody was mailed twice about the same thing")
                .hasSize(2 + 2 + 1 + 1);

        // the webhook heard each event once, in order, with the links a person needs
        Awaitility.await("the webhook told of the end")
                .atMost(Duration.ofSeconds(30))
                .until(() ->
                        posted.stream().anyMatch(p -> p.path("event").asText().equals("release.ended")));
        assertThat(posted)
                .extracting(p -> p.path("event").asText())
                .containsExactly("task.waiting", "task.reminder", "task.escalated", "release.ended");
        JsonNode waits = posted.get(0);
        assertThat(waits.path("text").asText())
                .startsWith("[Stageguard] Release " + release + " (acme): Developer sign-off waits for its approvers")
                .contains("?task=" + task.getId());
        assertThat(waits.path("releaseId").asText()).isEqualTo(release);
        assertThat(waits.path("links").path("report").asText()).contains("/reports/" + release + "/");
        assertThat(waits.path("links").path("release").asText()).endsWith("/releases/" + release);
        assertThat(posted.get(3).path("outcome").asText()).isEqualTo("Approval expired");
        assertThat(driver().asOperator().getForObject("/api/sites/acme", Map.class))
                .as("the URL carries a token: never shown")
                .containsEntry("webhook", "set")
                .extracting(Object::toString)
                .asString()
                .doesNotContain("secret");
    }

    /**
     * The reminder and the escalation write the sign-off clock while the task is open: the task's
     * guard must take that for Stageguard's own writing, not a person's, and let the sign-off be done.
     */
    @Test
    void aSignoffRemindedAndEscalatedCanStillBeGiven() {
        registerAcme(SiteCaches.NONE);
        String release = driver().startRelease(List.of("/"), "1.1.0");
        Task developerTask = driver().awaitTask(release, "Task_DeveloperSignoff");
        moveClock(Duration.ofHours(4).plusMinutes(1));
        awaitMail(release, "still waits for you (reminder)");
        moveClock(Duration.ofHours(20));
        awaitMail(release, "escalated to the operators");
        assertThat((String) runtime.getVariable(developerTask.getProcessInstanceId(), "signoffClock"))
                .contains("Developer sign-off reminded at")
                .contains("Developer sign-off escalated to the operators at");
        driver().complete("dev2", "developers", developerTask, Map.of("developerDecision", "approve"));
        // the push runs on the real clock: a clock moved under running jobs makes their locks look expired
        ClockUtil.reset();

        driver().complete(
                        "client",
                        "clients",
                        driver().awaitTask(release, "Task_ClientSignoff"),
                        Map.of("clientDecision", "approve"));
        driver().confirmPlan(release);
        Map<String, Object> status = driver().awaitEnd(release);
        assertThat(status.get("outcome"))
                .as("the release went on to live after the late developer sign-off")
                .isEqualTo("Released");
        assertThat((String) ReleaseDriver.variables(status).get("signoffClock"))
                .contains("Developer sign-off escalated to the operators at");
    }

    @Test
    void aSitesOwnSignoffTimesMustComeOneAfterTheOther() {
        Map<String, Object> database = Map.of(
                "host", "127.0.0.1", "port", 9, "name", "clocked", "user", "u", "password", "p", "tablePrefix", "wp_");
        Map<String, Object> definition = Map.of(
                "live",
                        Map.of(
                                "baseUrl",
                                "http://127.0.0.1:8",
                                "documentRoot",
                                demo.site().live().documentRoot().toString(),
                                "database",
                                database),
                "staging",
                        Map.of(
                                "baseUrl",
                                "http://127.0.0.1:9",
                                "documentRoot",
                                work.resolve("clocked-staging").toString(),
                                "database",
                                database),
                "access", Map.of("signoff", Map.of("reminder", "PT30H", "escalation", "PT24H", "expiry", "PT1H")));
        ResponseEntity<Map<String, Object>> refused = driver().asOperator()
                .exchange(
                        "/api/sites/clocked",
                        HttpMethod.PUT,
                        new HttpEntity<>(definition),
                        new ParameterizedTypeReference<>() {});
        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat((Map<String, String>) refused.getBody().get("errors"))
                .containsEntry("access.signoff.escalation", "must be longer than the reminder")
                .containsEntry("access.signoff.expiry", "must be longer than the escalation");
    }

    /** Moves the engine's clock on; the job executor then runs the timers that fell due. */
    private static void moveClock(Duration by) {
        ClockUtil.setCurrentTime(
                Date.from(ClockUtil.getCurrentTime().toInstant().plus(by)));
    }

    private static MimeMessage awaitMail(String release, String subjectPart) {
        return Awaitility.await("a mail about " + release + ": " + subjectPart)
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> Arrays.stream(SMTP.getReceivedMessages())
                                .filter(m -> subject(m).contains(release)
                                        && subject(m).contains(subjectPart))
                                .findFirst()
                                .orElse(null),
                        m -> m != null);
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> recipients(MimeMessage message) throws jakarta.mail.MessagingException {
        return Arrays.stream(message.getRecipients(Message.RecipientType.TO))
                .map(Object::toString)
                .toList();
    }
}
