package io.stageguard.api;

import static io.stageguard.access.AccessPolicy.USER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stageguard.access.AccessPolicy;
import io.stageguard.process.engine.ReleaseModel;
import io.stageguard.process.signoff.SignoffHistory;
import io.stageguard.release.ReleaseRecords;
import io.stageguard.rollback.LiveBackup;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * Pages for people without Cockpit, with the API's access rules: {@code /releases/{id}} (phases
 * with start, end and duration, sign-offs with who, when and why, findings, the deployment plan,
 * the backup, the reports) and {@code /sites/{id}} (the site's releases). Plain HTML, no script.
 */
@RestController
class ReleasePages {
    private final ReleaseStatusReader status;
    private final HistoryService history;
    private final ReleaseRecords releases;
    private final LiveBackup backups;
    private final AccessPolicy policy;
    private final ObjectMapper json;

    ReleasePages(
            ReleaseStatusReader status,
            HistoryService history,
            ReleaseRecords releases,
            LiveBackup backups,
            AccessPolicy policy,
            ObjectMapper json) {
        this.json = json;
        this.status = status;
        this.history = history;
        this.releases = releases;
        this.backups = backups;
        this.policy = policy;
    }

    @GetMapping(value = "/releases/{releaseId}", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> release(@PathVariable String releaseId, @RequestAttribute(USER) String user) {
        if (!policy.mayReadRelease(user, releaseId))
            return page(HttpStatus.FORBIDDEN, "Not yours", "<p>You have no part in the site of this release.</p>");
        ReleaseStatusReader.ReleaseStatus now = status.read(releaseId).orElse(null);
        ReleaseRecords.Release release = releases.find(releaseId).orElse(null);
        if (now == null || release == null)
            return page(
                    HttpStatus.NOT_FOUND,
                    "No such release",
                    "<p>Stageguard has no release " + esc(releaseId) + ".</p>");
        // the status holds structured results as JSON trees: as maps and lists here
        Map<String, Object> results = new java.util.TreeMap<>();
        now.results()
                .forEach((name, value) -> results.put(
                        name, value instanceof JsonNode node ? json.convertValue(node, Object.class) : value));
        StringBuilder html = new StringBuilder();
        html.append("<p>Site <a href=\"/sites/")
                .append(esc(release.siteId()))
                .append("\">")
                .append(esc(release.siteId()))
                .append("</a>")
                .append(", started by ")
                .append(esc(release.startedBy()))
                .append(". ");
        html.append(
                now.outcome() != null
                        ? "<strong>Ended: " + esc(now.outcome()) + "</strong>"
                        : "<strong>Running</strong>" + (now.phase() == null ? "" : " in " + esc(now.phase()))
                                + (now.step().isEmpty() ? "" : ", at " + esc(String.join(", ", now.step()))));
        html.append("</p>");
        if (!now.incidents().isEmpty()) {
            html.append("<h2>Needs an operator</h2><ul>");
            now.incidents()
                    .forEach(i -> html.append("<li>")
                            .append(esc(i.activity()))
                            .append(": ")
                            .append(esc(i.message()))
                            .append("</li>"));
            html.append("</ul>");
        }
        html.append("<h2>Phases</h2><table><tr><th>Phase</th><th>Started</th><th>Ended</th><th>Took</th></tr>");
        for (HistoricActivityInstance phase : history.createHistoricActivityInstanceQuery()
                .processInstanceId(now.processInstanceId())
                .activityType("callActivity")
                .orderByHistoricActivityInstanceStartTime()
                .asc()
                .list()) {
            Instant start = phase.getStartTime().toInstant();
            Instant end = phase.getEndTime() == null ? null : phase.getEndTime().toInstant();
            html.append("<tr><td>")
                    .append(esc(phase.getActivityName()))
                    .append("</td><td>")
                    .append(start)
                    .append("</td><td>")
                    .append(end == null ? "running" : end.toString())
                    .append("</td><td>")
                    .append(end == null ? "" : took(Duration.between(start, end)))
                    .append("</td></tr>");
        }
        html.append("</table>");
        html.append("<h2>Sign-offs</h2>");
        List<HistoricTaskInstance> signoffs = history.createHistoricTaskInstanceQuery()
                .processInstanceBusinessKey(releaseId)
                .taskDefinitionKeyIn(
                        ReleaseModel.TASK_DEVELOPER_SIGNOFF,
                        ReleaseModel.TASK_CLIENT_SIGNOFF,
                        ReleaseModel.TASK_CONFIRM_DEPLOYMENT_PLAN)
                .orderByHistoricActivityInstanceStartTime()
                .asc()
                .list();
        if (signoffs.isEmpty()) html.append("<p>None yet.</p>");
        else {
            html.append("<table><tr><th>Task</th><th>By</th><th>When</th></tr>");
            for (HistoricTaskInstance t : signoffs) {
                html.append("<tr><td>")
                        .append(esc(t.getName()))
                        .append("</td><td>")
                        .append(esc(SignoffHistory.decidedBy(history, t)))
                        .append("</td><td>")
                        .append(
                                t.getEndTime() == null
                                        ? "waiting"
                                                + (t.getDueDate() == null
                                                        ? ""
                                                        : ", due "
                                                                + t.getDueDate().toInstant())
                                        : t.getEndTime().toInstant().toString())
                        .append("</td></tr>");
            }
            html.append("</table>");
        }
        html.append(line("Developer", results.get("developerDecision"), results.get("developerComment")));
        html.append(line("Client", results.get("clientDecision"), results.get("clientComment")));
        section(html, "Sign-off clock", results.get("signoffClock"));
        html.append("<h2>Quality</h2>");
        section(html, null, results.get("paritySummary"));
        section(html, null, results.get("qaSummary"));
        if (results.get("qaFindings") instanceof Collection<?> findings && !findings.isEmpty()) {
            html.append("<ul>");
            findings.forEach(f -> html.append("<li>").append(esc(describe(f))).append("</li>"));
            html.append("</ul>");
        }
        link(html, "QA report", results.get("qaReportUrl"));
        link(html, "Live after the push", results.get("liveReportUrl"));
        if (results.get("deploymentPlan") instanceof Map<?, ?> plan) {
            html.append("<h2>Deployment plan</h2><p>Risk ")
                    .append(esc(String.valueOf(plan.get("risk"))))
                    .append(", about ")
                    .append(esc(String.valueOf(plan.get("estimatedSeconds"))))
                    .append(" s; rollback about ")
                    .append(esc(String.valueOf(plan.get("rollbackSeconds"))))
                    .append(" s")
                    .append(Boolean.TRUE.equals(plan.get("rollbackRehearsed")) ? " (rehearsed)" : " (estimated)")
                    .append("</p><ol>");
            if (plan.get("steps") instanceof Collection<?> steps) {
                steps.forEach(st -> html.append("<li>")
                        .append(esc(
                                st instanceof Map<?, ?> m ? String.valueOf(m.get("description")) : String.valueOf(st)))
                        .append("</li>"));
            }
            html.append("</ol>");
        }
        section(html, "Backup", results.get("backupSummary"));
        backups.list(release.siteId()).stream()
                .filter(b -> b.releaseId().equals(releaseId))
                .forEach(b -> html.append("<p>Taken ")
                        .append(b.createdAt())
                        .append(b.verifiedAt() == null ? "" : ", verified " + b.verifiedAt())
                        .append(b.restoredAt() == null ? "" : ", restored " + b.restoredAt())
                        .append(b.removedAt() == null ? "" : ", removed " + b.removedAt())
                        .append(", ")
                        .append(b.bytes() / 1024)
                        .append(" KiB</p>"));
        section(html, "Rollback", results.get("rollbackReport"));
        html.append("<p><a href=\"/api/releases/").append(esc(releaseId)).append("\">As JSON</a></p>");
        return page(HttpStatus.OK, "Release " + releaseId, html.toString());
    }

    @GetMapping(value = "/sites/{siteId}", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> site(@PathVariable String siteId, @RequestAttribute(USER) String user) {
        if (!policy.mayReadSite(user, siteId))
            return page(HttpStatus.FORBIDDEN, "Not yours", "<p>You have no part in this site.</p>");
        StringBuilder html =
                new StringBuilder("<table><tr><th>Release</th><th>Started</th><th>By</th><th>Now</th></tr>");
        for (ReleaseRecords.Listed r : releases.ofSite(siteId, 100)) {
            String now = status.read(r.id())
                    .map(s ->
                            s.outcome() != null ? s.outcome() : "running" + (s.phase() == null ? "" : ": " + s.phase()))
                    .orElse("");
            html.append("<tr><td><a href=\"/releases/")
                    .append(esc(r.id()))
                    .append("\">")
                    .append(esc(r.id()))
                    .append("</a></td><td>")
                    .append(r.createdAt())
                    .append("</td><td>")
                    .append(esc(r.startedBy() == null ? "" : r.startedBy()))
                    .append("</td><td>")
                    .append(esc(now))
                    .append("</td></tr>");
        }
        html.append("</table>");
        return page(HttpStatus.OK, "Site " + siteId, html.toString());
    }

    private static String describe(Object finding) {
        if (finding instanceof Map<?, ?> f) {
            return f.get("where") + ": " + f.get("message")
                    + (f.get("culprit") == null ? "" : " (caused by " + f.get("culprit") + ")");
        }
        return String.valueOf(finding);
    }

    private static String line(String who, Object decision, Object comment) {
        if (decision == null) return "";
        return "<p>" + who + ": " + esc(String.valueOf(decision))
                + (comment == null || String.valueOf(comment).isBlank()
                        ? ""
                        : ", \u201c" + esc(String.valueOf(comment)) + "\u201d")
                + "</p>";
    }

    private static void section(StringBuilder html, String title, Object text) {
        if (text == null || String.valueOf(text).isBlank()) return;
        if (title != null) html.append("<h2>").append(esc(title)).append("</h2>");
        html.append("<pre>").append(esc(String.valueOf(text))).append("</pre>");
    }

    private static void link(StringBuilder html, String label, Object url) {
        if (url == null) return;
        html.append("<p><a href=\"")
                .append(esc(String.valueOf(url)))
                .append("\">")
                .append(esc(label))
                .append("</a></p>");
    }

    private static String took(Duration d) {
        return d.toHours() > 0
                ? d.toHours() + " h " + d.toMinutesPart() + " min"
                : d.toMinutes() > 0
                        ? d.toMinutes() + " min " + d.toSecondsPart() + " s"
                        : d.toSeconds() + "." + (d.toMillisPart() / 100) + " s";
    }

    private static ResponseEntity<String> page(HttpStatus code, String title, String body) {
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title)
                + " · Stageguard</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}pre{white-space:pre-wrap;background:#f6f6f6;padding:.6em}</style>"
                + "</head><body><h1>" + esc(title) + "</h1>" + body + "</body></html>";
        return ResponseEntity.status(code)
                .contentType(MediaType.TEXT_HTML)
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
                .body(html);
    }

    private static String esc(String s) {
        return s == null ? "" : HtmlUtils.htmlEscape(s);
    }
}
