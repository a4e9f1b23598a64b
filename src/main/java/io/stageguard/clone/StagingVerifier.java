package io.stageguard.clone;

import io.stageguard.site.Site;
import io.stageguard.wordpress.PageFetcher;
import io.stageguard.wordpress.SiteHealthCheck;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Asks the fresh staging site over HTTP whether it is a working, self-contained and private copy:
 * strangers are turned away, search engines are told to stay out, and with the credential every
 * page answers, shows staging's own URL, and links to nothing on the live host.
 */
@Component
public class StagingVerifier {
    private static final Pattern LINK = Pattern.compile(
            "(?:(?:href|src|srcset|action|poster|data-src)\\s*=\\s*[\"']([^\"']+)[\"'])|url\\(\\s*['\"]?([^)'\"]+)",
            Pattern.CASE_INSENSITIVE);
    private final SiteHealthCheck health;
    private final PageFetcher fetcher;

    public StagingVerifier(SiteHealthCheck health, PageFetcher fetcher) {
        this.health = health;
        this.fetcher = fetcher;
    }

    /** Problems found; empty when staging is ready. {@code access} are the headers that carry the staging credential. */
    public List<String> verify(Site site, List<String> paths, Map<String, String> access) {
        List<String> problems = new ArrayList<>();
        checkPrivacy(site, paths.get(0), problems);
        String liveHost = URI.create(site.live().baseUrl()).getAuthority();
        for (SiteHealthCheck.PageHealth page :
                health.check(site.staging(), paths, access).pages()) {
            if (!page.healthy()) {
                problems.add(page.path() + ": " + page.problem());
                continue;
            }
            if (!page.html().contains(site.staging().baseUrl())) {
                problems.add(
                        page.path() + ": staging URL " + site.staging().baseUrl() + " does not appear in the page");
            }
            Matcher m = LINK.matcher(page.html());
            while (m.find()) {
                String link = (m.group(1) != null ? m.group(1) : m.group(2)).replace("\\/", "/");
                if (link.contains("//" + liveHost)) {
                    problems.add(page.path() + ": links to live: " + link);
                    break;
                }
            }
        }
        return problems;
    }

    private void checkPrivacy(Site site, String path, List<String> problems) {
        try {
            PageFetcher.Page anonymous = fetcher.get(site.staging().url(path));
            if (anonymous.status() != 401) {
                problems.add(path + ": a visitor without the staging credential got HTTP " + anonymous.status()
                        + ", not 401");
            }
            String robotsTag = anonymous.header("X-Robots-Tag");
            if (robotsTag == null || !robotsTag.contains("noindex")) {
                problems.add(path + ": no 'X-Robots-Tag: noindex' header");
            }
            PageFetcher.Page robots = fetcher.get(site.staging().url("/robots.txt"));
            if (robots.status() != 200 || !robots.body().matches("(?s).*Disallow:\\s*/\\s*(\\n.*)?")) {
                problems.add("/robots.txt does not disallow all crawling (HTTP " + robots.status() + ")");
            }
        } catch (IOException e) {
            problems.add("staging unreachable at " + site.staging().baseUrl() + ": " + e.getMessage());
        }
    }
}
