package io.stageguard.qa;

import io.stageguard.site.Site;
import java.util.Locale;
import org.springframework.web.util.HtmlUtils;

/** The QA round as a page a client can read without knowing Stageguard: the verdict first, then the evidence. */
final class QaReportWriter {
    private QaReportWriter() {}

    static String html(QaReport r, Site site) {
        return html(
                r,
                ReportSides.QA_ROUND,
                "QA report: release " + r.releaseId() + ", round " + r.round(),
                "<p>Staging " + e(site.staging().baseUrl())
                        + " with these changes: " + e(r.changes().isEmpty() ? "none" : String.join(", ", r.changes()))
                        + ", compared with staging right after it was cloned from live, before any change: what the release changed."
                        + " How the clone itself compares with live is in the <a href=\"before/index.html\">clone check</a>.</p>");
    }

    /** Live against staging right after the clone: what cloning and sanitizing changed, never held against the release. */
    static String cloneCheckHtml(QaReport r, Site site) {
        return html(
                r,
                ReportSides.CLONE,
                "Clone check: release " + r.releaseId() + ", round " + r.round(),
                "<p>Live <a href=\"" + e(site.live().baseUrl())
                        + "\">" + e(site.live().baseUrl()) + "</a> compared with staging "
                        + e(site.staging().baseUrl())
                        + " right after it was cloned, before any change was applied. Differences here come from cloning or from the"
                        + " sanitized copy of the database (personal data replaced), not from the release: QA judges the release against"
                        + " this staging, not against live.</p>");
    }

    /** Live right before the push against live after it; differences QA approved on staging are not counted again. */
    static String pushHtml(QaReport r, Site site) {
        return html(
                r,
                ReportSides.PUSH,
                "Live after the push: release " + r.releaseId(),
                "<p>Live <a href=\"" + e(site.live().baseUrl()) + "\">"
                        + e(site.live().baseUrl())
                        + "</a> after the push of " + e(String.join(", ", r.changes()))
                        + ", compared with live right before it (both loaded past every"
                        + " cache). A visual difference counts only where it goes beyond what QA measured and the approvers saw on staging.</p>");
    }

    private static String html(QaReport r, ReportSides sides, String title, String intro) {
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
                .append(e(title))
                .append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}")
                .append(".verdict{font-size:1.4em;padding:.5em 1em;border-radius:6px;display:inline-block}")
                .append(".pass{background:#d7f5dd}.warn{background:#fff1c2}.fail{background:#fbd9d9}")
                .append(
                        "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}")
                .append(
                        ".shots{display:flex;gap:1em;flex-wrap:wrap}.shots figure{margin:0}.shots img{width:260px;border:1px solid #ccc}")
                .append(".ok{color:#17702c}.bad{color:#b00020}.culprit{font-weight:600}")
                .append("</style></head><body>");
        h.append("<h1>").append(e(title)).append("</h1>").append(intro);
        String label = switch (r.verdict()) {
            case PASS -> "Passed";
            case WARN -> "Passed with warnings";
            default -> "Failed";
        };
        h.append("<p class=\"verdict ")
                .append(e(r.verdict().label()))
                .append("\">")
                .append(label)
                .append("</p>");
        h.append("<p>")
                .append(r.pages().size())
                .append(" page(s) at ")
                .append(r.pages().isEmpty() ? 0 : r.pages().get(0).shots().size())
                .append(" screen width(s), ")
                .append(r.flows().size())
                .append(" user flow(s), ")
                .append(r.adminScreens().size())
                .append(" admin screen(s), ")
                .append(r.findings().size())
                .append(" finding(s).</p>");
        if (!r.reasons().isEmpty()) {
            h.append("<h2>Why</h2><ul>");
            r.reasons().forEach(reason -> h.append("<li>").append(e(reason)).append("</li>"));
            h.append("</ul>");
        }
        if (!r.findings().isEmpty()) {
            h.append("<h2>Findings</h2><table><tr><th>Where</th><th>What</th><th>Caused by</th></tr>");
            for (QaReport.Finding f : r.findings()) {
                h.append("<tr><td>")
                        .append(e(f.where()))
                        .append("</td><td>")
                        .append(e(f.message()))
                        .append("</td><td>");
                if (f.culprit() == null) {
                    // the culprit search's control can show that no change caused it
                    h.append(f.attributedBy() == null ? "not determined" : e(f.attributedBy()));
                } else {
                    h.append("<span class=\"culprit\">")
                            .append(e(f.culprit()))
                            .append("</span> <small>(")
                            .append(e(f.attributedBy()))
                            .append(")</small>");
                }
                h.append("</td></tr>");
            }
            h.append("</table>");
        }
        if (r.culpritSearch() != null) {
            h.append("<h2>Culprit search</h2><p>")
                    .append(e(r.culpritSearch().summary()))
                    .append("</p><ol>");
            r.culpritSearch()
                    .trials()
                    .forEach(t -> h.append("<li>").append(e(t)).append("</li>"));
            h.append("</ol>");
        }
        String sidesText = e(sides.first) + " / " + e(sides.second);
        if (!r.templates().isEmpty()) {
            // what each page stands for: a sample that covers every template the site has
            java.util.Map<String, java.util.List<String>> byTemplate = new java.util.LinkedHashMap<>();
            r.templates()
                    .forEach(t -> byTemplate
                            .computeIfAbsent(t.template(), k -> new java.util.ArrayList<>())
                            .add(t.path()));
            h.append("<h2>Templates covered</h2><table><tr><th>Template</th><th>Pages</th></tr>");
            byTemplate.forEach((template, paths) -> h.append("<tr><td>")
                    .append(e(template))
                    .append("</td><td>")
                    .append(e(String.join(", ", paths)))
                    .append("</td></tr>"));
            h.append("</table>");
        }
        h.append("<h2>Pages</h2><table><tr><th>Path</th><th>Status ")
                .append(sidesText)
                .append("</th><th>Looks different</th><th>Server time ")
                .append(sidesText)
                .append("</th><th>Load (browser) ")
                .append(sidesText)
                .append("</th><th>Requests, KiB ")
                .append(sidesText)
                .append("</th></tr>");
        for (QaReport.PageResult p : r.pages()) {
            h.append("<tr><td><a href=\"#")
                    .append(e(anchor(p.path())))
                    .append("\">")
                    .append(e(p.path()))
                    .append("</a></td><td>")
                    .append(p.liveStatus())
                    .append(" / ")
                    .append(p.stagingStatus())
                    .append("</td><td>");
            for (QaReport.Shot s : p.shots()) {
                h.append(e(s.viewport()))
                        .append(' ')
                        .append(String.format(Locale.ROOT, "%.2f%%", s.difference() * 100))
                        .append("<br>");
            }
            QaReport.Speed sp = p.speed();
            h.append("</td><td>")
                    .append(sp.liveServerMillis())
                    .append(" / ")
                    .append(sp.stagingServerMillis())
                    .append(" ms</td><td>");
            if (sp.live() != null) {
                h.append(sp.live().loadMillis())
                        .append(" / ")
                        .append(sp.staging().loadMillis())
                        .append(" ms</td><td>")
                        .append(sp.live().requests())
                        .append(", ")
                        .append(sp.live().bytes() / 1024)
                        .append(" / ")
                        .append(sp.staging().requests())
                        .append(", ")
                        .append(sp.staging().bytes() / 1024);
            } else {
                h.append("</td><td>");
            }
            h.append("</td></tr>");
        }
        h.append("</table>");
        for (QaReport.PageResult p : r.pages()) {
            h.append("<h3 id=\"")
                    .append(e(anchor(p.path())))
                    .append("\">")
                    .append(e(p.path()))
                    .append("</h3>");
            for (QaReport.Shot s : p.shots()) {
                h.append("<p>")
                        .append(e(s.viewport()))
                        .append(": ")
                        .append(String.format(Locale.ROOT, "%.2f%%", s.difference() * 100))
                        .append(" of the page looks different</p><div class=\"shots\">")
                        .append(figure(s.liveImage(), capitalized(sides.first)))
                        .append(figure(s.stagingImage(), capitalized(sides.second)))
                        .append(figure(s.diffImage(), "Changed (red)"))
                        .append("</div>");
            }
        }
        if (!r.flows().isEmpty()) {
            h.append("<h2>User flows on staging</h2>");
            for (QaReport.FlowResult flow : r.flows()) {
                h.append("<h3>")
                        .append(e(flow.name()))
                        .append(
                                flow.passed()
                                        ? " <span class=\"ok\">passed</span>"
                                        : " <span class=\"bad\">failed</span>")
                        .append("</h3><ol>");
                for (QaReport.StepResult s : flow.steps()) {
                    h.append("<li class=\"")
                            .append(s.passed() ? "ok" : "bad")
                            .append("\">")
                            .append(e(s.step()));
                    if (!s.passed()) {
                        h.append(": ")
                                .append(e(s.error()))
                                .append(" (<a href=\"")
                                .append(e(s.screenshot()))
                                .append("\">screenshot</a>, <a href=\"")
                                .append(e(s.html()))
                                .append("\">page HTML</a>)");
                    }
                    h.append("</li>");
                }
                h.append("</ol>");
            }
        }
        if (!r.adminScreens().isEmpty()) {
            h.append(
                    "<h2>Admin screens on staging</h2><table><tr><th>Screen</th><th>Renders</th><th>PHP fatal</th><th>Console errors</th><th>Failed requests</th></tr>");
            for (QaReport.AdminResult a : r.adminScreens()) {
                h.append("<tr><td>");
                if (a.screenshot() == null) h.append(e(a.path()));
                else
                    h.append("<a href=\"")
                            .append(e(a.screenshot()))
                            .append("\">")
                            .append(e(a.path()))
                            .append("</a>");
                h.append("</td><td>")
                        .append(a.rendered() ? "yes" : "<span class=\"bad\">no</span>")
                        .append("</td><td>")
                        .append(a.phpFatal() ? "<span class=\"bad\">yes</span>" : "no")
                        .append("</td><td>")
                        .append(e(String.join("; ", a.consoleErrors())))
                        .append("</td><td>")
                        .append(e(String.join("; ", a.failedRequests())))
                        .append("</td></tr>");
            }
            h.append("</table>");
        }
        if (!r.phpLog().isEmpty()) {
            h.append("<h2>")
                    .append(e(sides.log))
                    .append("</h2><table><tr><th>Level</th><th>Message</th><th>File</th><th>Times</th></tr>");
            for (PhpErrorLog.Entry entry : r.phpLog()) {
                h.append("<tr><td>")
                        .append(e(entry.level()))
                        .append("</td><td>")
                        .append(e(entry.message()))
                        .append("</td><td>")
                        .append(e(entry.file() == null ? "" : entry.file() + ":" + entry.line()))
                        .append("</td><td>")
                        .append(entry.count())
                        .append("</td></tr>");
            }
            h.append("</table>");
        }
        h.append("<p><a href=\"report.json\">This report as JSON</a></p></body></html>\n");
        return h.toString();
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String anchor(String path) {
        return "page" + path.replaceAll("[^A-Za-z0-9]+", "-");
    }

    private static String figure(String image, String caption) {
        if (image == null)
            return "<figure><figcaption>" + e(caption)
                    + ": none, the two are the same pixel for pixel</figcaption></figure>";
        return "<figure><a href=\"" + e(image) + "\"><img loading=\"lazy\" src=\"" + e(image) + "\" alt=\"" + e(caption)
                + "\"></a><figcaption>" + e(caption) + "</figcaption></figure>";
    }

    private static String e(String s) {
        return s == null ? "" : HtmlUtils.htmlEscape(s);
    }
}
