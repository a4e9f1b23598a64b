package io.stageguard.clone;

import io.stageguard.site.PageFetcher;
import io.stageguard.site.Site;
import io.stageguard.site.SiteHealthCheck;
import java.io.IOException;
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
    private final PageFetcher fetcher;
    private final SiteHealthCheck health;

    public StagingVerifier(PageFetcher fetcher, SiteHealthCheck health) {
        this.fetcher = fetcher;
        this.health = health;
    }

    /** Problems found; empty when staging is ready. */
    public List<String> verify(Site site, List<String> paths) throws IOException {
        List<String> problems = new ArrayList<>();
        SiteHealthCheck.Health h = health.check(site.staging(), paths);
        h.pages().stream().filter(p -> !p.healthy()).forEach(p -> problems.add(p.path() + ": " + p.problem()));
        if (!problems.isEmpty()) return problems;
        String liveHost = URI.create(site.live().baseUrl()).getAuthority();
        for (String path : paths) {
            String html = fetcher.get(site.staging().url(path)).body();
            if (!html.contains(site.staging().baseUrl())) {
                problems.add(path + ": staging URL " + site.staging().baseUrl() + " does not appear in the page");
            }
            Matcher m = LINK.matcher(html);
            while (m.find()) {
                String link = m.group(1).replace("\\/", "/");
                if (link.contains("//" + liveHost)) {
                    problems.add(path + ": links to live: " + link);
                    break;
                }
            }
        }
        return problems;
    }
}
