package io.stageguard.notify;

import io.stageguard.StageguardProperties;
import io.stageguard.site.registry.SiteRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/**
 * Tells people about a release: mail to those who can act on its task (when it is created,
 * reminded or escalated) and to its starter when it ends, with direct links to the Tasklist task,
 * the reports and the release page; the same events to the site's webhook, if it has one
 * ({@link ReleaseWebhook}). Sent once the engine's transaction has committed, so nobody is told
 * about a task that was rolled back; a mail server or webhook that refuses is logged and never
 * fails the release. Without {@code spring.mail.host} no mail is sent.
 */
@Component
public class ReleaseNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseNotifier.class);
    private final ObjectProvider<JavaMailSender> sender;
    private final IdentityService identity;
    private final StageguardProperties app;
    private final NotificationProperties properties;
    private final SiteRegistry sites;
    private final ReleaseWebhook webhook;

    public ReleaseNotifier(
            ObjectProvider<JavaMailSender> sender,
            IdentityService identity,
            StageguardProperties app,
            NotificationProperties properties,
            SiteRegistry sites,
            ReleaseWebhook webhook) {
        this.sites = sites;
        this.webhook = webhook;
        this.sender = sender;
        this.identity = identity;
        this.app = app;
        this.properties = properties;
    }

    /** @param from the address Stageguard's mails come from */
    @ConfigurationProperties("stageguard.notifications")
    public record NotificationProperties(String from) {
        public NotificationProperties {
            if (from == null || from.isBlank()) from = "stageguard@localhost";
        }
    }

    /** Why a task's people hear from Stageguard; {@code event} names it to webhooks. */
    public enum About {
        WAITING("waits for you", "task.waiting"),
        REMINDER("still waits for you (reminder)", "task.reminder"),
        ESCALATED("has waited too long: escalated to the operators", "task.escalated");

        final String words;
        final String event;

        About(String words, String event) {
            this.words = words;
            this.event = event;
        }
    }

    /** A task as its mail describes it; {@code candidates} as the task holds them (also before they are flushed). */
    public record WaitingTask(String id, String name, Date due, Collection<IdentityLink> candidates) {
        public static WaitingTask of(Task task, TaskService tasks) {
            return new WaitingTask(
                    task.getId(), task.getName(), task.getDueDate(), tasks.getIdentityLinksForTask(task.getId()));
        }
    }

    /**
     * Tells the people who can act on the task (for an escalation, the operators) once the
     * transaction commits; returns who will be told.
     */
    public List<String> aboutTask(WaitingTask task, String releaseId, String siteId, About about, String reportUrl) {
        List<User> people =
                about == About.ESCALATED ? members(Set.of(Groups.CAMUNDA_ADMIN)) : candidates(task.candidates());
        String subject =
                "[Stageguard] " + task.name() + " of release " + releaseId + " (" + siteId + ") " + about.words;
        StringBuilder body = new StringBuilder();
        body.append("Release ")
                .append(releaseId)
                .append(" of site ")
                .append(siteId)
                .append(": the task \"")
                .append(task.name())
                .append("\" ")
                .append(about.words)
                .append(".\n\n");
        body.append("Open it in Tasklist: ").append(taskLink(task.id())).append('\n');
        if (reportUrl != null) body.append("QA report: ").append(reportUrl).append('\n');
        body.append("Where the release is: ").append(releasePage(releaseId)).append('\n');
        if (task.due() != null)
            body.append("Due: ").append(task.due().toInstant()).append('\n');
        Map<String, String> links = new LinkedHashMap<>();
        links.put("task", taskLink(task.id()));
        if (reportUrl != null) links.put("report", reportUrl);
        Map<String, Object> event = event(
                about.event,
                releaseId,
                siteId,
                "Release " + releaseId + " (" + siteId + "): " + task.name() + " "
                        + about.words.replace("for you", "for its approvers") + ": " + taskLink(task.id()),
                links);
        event.put("task", task.name());
        postAfterCommit(siteId, event);
        return sendAfterCommit(people, subject, body.toString());
    }

    /** Tells the release's starter how it ended; returns who will be told. */
    public List<String> releaseEnded(
            String releaseId, String siteId, String startedBy, String outcome, List<String> details) {
        List<User> people = startedBy == null
                ? List.of()
                : identity.createUserQuery().userId(startedBy).list();
        String subject = "[Stageguard] Release " + releaseId + " (" + siteId + "): " + outcome;
        StringBuilder body = new StringBuilder("Release ")
                .append(releaseId)
                .append(" of site ")
                .append(siteId)
                .append(" ended: ")
                .append(outcome)
                .append(".\n\n");
        details.forEach(d -> body.append(d).append('\n'));
        body.append("Where the release is: ").append(releasePage(releaseId)).append('\n');
        Map<String, Object> event = event(
                "release.ended",
                releaseId,
                siteId,
                "Release " + releaseId + " (" + siteId + ") ended: " + outcome + " " + releasePage(releaseId),
                Map.of());
        event.put("outcome", outcome);
        postAfterCommit(siteId, event);
        return sendAfterCommit(people, subject, body.toString());
    }

    private String releasePage(String releaseId) {
        return app.publicUrl() + "/releases/" + releaseId;
    }

    /** A webhook event: its Slack-compatible text first, then what other receivers read. */
    private Map<String, Object> event(
            String name, String releaseId, String siteId, String text, Map<String, String> moreLinks) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("text", "[Stageguard] " + text);
        event.put("event", name);
        event.put("releaseId", releaseId);
        event.put("siteId", siteId);
        Map<String, String> links = new LinkedHashMap<>();
        links.put("release", releasePage(releaseId));
        links.putAll(moreLinks);
        event.put("links", links);
        return event;
    }

    private void postAfterCommit(String siteId, Map<String, Object> event) {
        sites.find(siteId)
                .filter(site -> site.webhook() != null)
                .ifPresent(site -> afterCommit(() -> webhook.post(site, event)));
    }

    public String taskLink(String taskId) {
        return app.publicUrl() + "/camunda/app/tasklist/default/#/?task=" + taskId;
    }

    private List<String> sendAfterCommit(List<User> people, String subject, String body) {
        List<String> to = new ArrayList<>(new LinkedHashSet<>(people.stream()
                .map(User::getEmail)
                .filter(e -> e != null && !e.isBlank())
                .toList()));
        JavaMailSender mail = sender.getIfAvailable();
        if (to.isEmpty() || mail == null) return to;
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(properties.from());
        message.setTo(to.toArray(String[]::new));
        message.setSubject(subject);
        message.setText(body);
        afterCommit(() -> {
            try {
                mail.send(message);
            } catch (MailException e) {
                LOG.warn("Could not send \"{}\" to {}: {}", subject, to, e.getMessage());
            }
        });
        return to;
    }

    private static void afterCommit(Runnable tell) {
        if (Context.getCommandContext() != null) {
            Context.getCommandContext()
                    .getTransactionContext()
                    .addTransactionListener(TransactionState.COMMITTED, context -> tell.run());
        } else {
            tell.run();
        }
    }

    /** The task's candidate users and the members of its candidate groups. */
    private List<User> candidates(Collection<IdentityLink> links) {
        Set<String> users = new LinkedHashSet<>();
        Set<String> groups = new LinkedHashSet<>();
        for (IdentityLink link : links) {
            if (!IdentityLinkType.CANDIDATE.equals(link.getType())) continue;
            if (link.getUserId() != null) users.add(link.getUserId());
            if (link.getGroupId() != null) groups.add(link.getGroupId());
        }
        List<User> people = new ArrayList<>(members(groups));
        withoutAuthorization(() -> users.forEach(
                u -> people.addAll(identity.createUserQuery().userId(u).list())));
        return people;
    }

    private List<User> members(Set<String> groups) {
        List<User> people = new ArrayList<>();
        withoutAuthorization(() -> groups.forEach(
                g -> people.addAll(identity.createUserQuery().memberOfGroup(g).list())));
        return people;
    }

    /** Who gets a mail is Stageguard's decision, not the reader's: the lookup must not be limited by what the acting user may see. */
    private void withoutAuthorization(Runnable lookup) {
        Authentication current = identity.getCurrentAuthentication();
        identity.clearAuthentication();
        try {
            lookup.run();
        } finally {
            if (current != null) identity.setAuthentication(current);
        }
    }
}
