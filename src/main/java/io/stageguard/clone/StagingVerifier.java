package io.stageguard.clone;

import io.stageguard.site.Site;
import io.stageguard.site.SiteHealthCheck;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Asks the fresh staging site over HTTP whether it is a working, self-contained copy: it answers,
 * shows its own URL, and links to nothing on the live host.
 */
@Component
public class StagingVerifier {
    private static final Pattern LINK = Pattern.compile("(?:href|src|action)\\s*=\\s*[\"']([^\"']+)[\"']", Pattern.CASE_INSENSITIVE);
    private final SiteHealthCheck health;

    public StagingVerifier(SiteHealthCheck health) {
        this.health = health;
    }

    /** Problems found; empty when staging is ready. */
    public List<String> verify(Site site, List<String> paths) {
        List<String> problems = new ArrayList<>();
        String liveHost = URI.create(site.live().baseUrl()).getAuthority();
        for (SiteHealthCheck.PageHealth page : health.check(site.staging(), paths).pages()) {
            if (!page.healthy()) {
                problems.add(page.path() + ": " + page.problem());
                continue;
            }
            if (!page.html().contains(site.staging().baseUrl())) {
                problems.add(page.path() + ": staging URL " + site.staging().baseUrl() + " does not appear in the page");
            }
            Matcher m = LINK.matcher(page.html());
            while (m.find()) {
                String link = m.group(1).replace("\\/", "/");
                if (link.contains("//" + liveHost)) {
                    problems.add(page.path() + ": links to live: " + link);
                    break;
                }
            }
        }
        return problems;
    }
}
