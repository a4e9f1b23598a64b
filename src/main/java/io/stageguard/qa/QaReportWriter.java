package io.stageguard.qa;

import io.stageguard.site.Site;
import java.util.List;
import java.util.Locale;
import org.springframework.web.util.HtmlUtils;

/** The QA round as a page an approver can read without knowing Stageguard. */
final class QaReportWriter {
    private QaReportWriter() {
    }

    static String html(QaReport r, Site site) {
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>QA round ").append(r.round())
                .append(" of ").append(e(r.releaseId())).append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}")
                .append(".verdict{font-size:1.4em;padding:.5em 1em;border-radius:6px;display:inline-block}")
                .append(".pass{background:#d7f5dd}.fail{background:#fbd9d9}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}")
                .append(".shots{display:flex;gap:1em}.shots figure{margin:0}.shots img{width:320px;border:1px solid #ccc}")
                .append("</style></head><body>");
        h.append("<h1>QA report: release ").append(e(r.releaseId())).append(", round ").append(r.round()).append("</h1>");
        h.append("<p>Live <a href=\"").append(e(site.live().baseUrl())).append("\">").append(e(site.live().baseUrl()))
                .append("</a> compared with staging <a href=\"").append(e(site.staging().baseUrl())).append("\">")
                .append(e(site.staging().baseUrl())).append("</a>.</p>");
        h.append("<p class=\"verdict ").append(r.passed() ? "pass\">Passed" : "fail\">Failed").append("</p>");
        if (!r.findings().isEmpty()) {
            h.append("<h2>Findings</h2><ul>");
            r.findings().forEach(f -> h.append("<li>").append(e(f)).append("</li>"));
            h.append("</ul>");
        }
        h.append("<h2>Pages</h2><table><tr><th>Path</th><th>Live status</th><th>Staging status</th><th>Pixels changed</th>"
                + "<th>PHP fatal on staging</th><th>New console errors</th></tr>");
        for (QaReport.PageResult p : r.pages()) {
            h.append("<tr><td>").append(e(p.path())).append("</td><td>").append(p.liveStatus()).append("</td><td>")
                    .append(p.stagingStatus()).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.2f%%", p.pixelDifference() * 100)).append("</td><td>")
                    .append(p.stagingPhpFatal() ? "yes" : "no").append("</td><td>").append(list(p.newConsoleErrors()))
                    .append("</td></tr>");
        }
        h.append("</table>");
        for (QaReport.PageResult p : r.pages()) {
            h.append("<h3>").append(e(p.path())).append("</h3><div class=\"shots\">")
                    .append(figure(p.liveImage(), "Live")).append(figure(p.stagingImage(), "Staging"))
                    .append(figure(p.diffImage(), "Changed pixels (red)")).append("</div>");
        }
        h.append("<p><a href=\"report.json\">This report as JSON</a></p></body></html>\n");
        return h.toString();
    }

    private static String figure(String image, String caption) {
        return "<figure><a href=\"" + e(image) + "\"><img src=\"" + e(image) + "\" alt=\"" + e(caption) + "\"></a><figcaption>"
                + e(caption) + "</figcaption></figure>";
    }

    private static String list(List<String> items) {
        return items.isEmpty() ? "none" : e(String.join("\n", items)).replace("\n", "<br>");
    }

    private static String e(String s) {
        return HtmlUtils.htmlEscape(s);
    }
}
