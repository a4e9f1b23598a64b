package io.stageguard.push;

import io.stageguard.qa.PhpErrorLog;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.wordpress.ServingPhp;
import io.stageguard.wordpress.SiteHealthCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Live's health after a push, as the watch window sees it: every page answers 2xx without a PHP
 * fatal, the serving PHP's error log gains no fatal error, and pages answer not much slower than
 * right after the push. The baseline (response time, where the serving PHP logs and how long the
 * log was) is taken when live is verified; each probe compares with it. Reads live only.
 */
@Component
public class LiveWatch {
    /** A page may answer this much slower than the baseline, or three times as slow, before the probe fails. */
    static final long SLOWDOWN_ALLOWANCE_MILLIS = 3000;

    private final SiteHealthCheck health;
    private final ServingPhp servingPhp;

    public LiveWatch(SiteHealthCheck health, ServingPhp servingPhp) {
        this.health = health;
        this.servingPhp = servingPhp;
    }

    /**
     * @param errorLog the serving PHP's error log, empty when it logs elsewhere (syslog, stderr)
     * @param logMark  its length at the baseline
     */
    public record Baseline(long responseMillis, String errorLog, long logMark) {}

    /** One probe: healthy or not, and what was seen. */
    public record Probe(boolean healthy, long responseMillis, List<String> problems) {
        public String summary() {
            return (healthy ? "healthy" : "unhealthy: " + String.join("; ", problems)) + " (" + responseMillis
                    + " ms for the pages)";
        }
    }

    /** Checks the pages and notes what later probes compare with. */
    public Baseline baseline(SiteEnvironment live, List<String> pages) throws IOException {
        long started = System.nanoTime();
        health.check(live, pages);
        long millis = (System.nanoTime() - started) / 1_000_000;
        Optional<Path> log = servingPhp.errorLog(live);
        return new Baseline(millis, log.map(Path::toString).orElse(""), log.isPresent() ? Files.size(log.get()) : 0);
    }

    public Probe probe(SiteEnvironment live, List<String> pages, Baseline baseline) throws IOException {
        long started = System.nanoTime();
        SiteHealthCheck.Health result = health.check(live, pages);
        long millis = (System.nanoTime() - started) / 1_000_000;
        List<String> problems = new ArrayList<>();
        result.pages().stream().filter(p -> !p.healthy()).forEach(p -> problems.add(p.path() + ": " + p.problem()));
        if (millis > Math.max(baseline.responseMillis() * 3, baseline.responseMillis() + SLOWDOWN_ALLOWANCE_MILLIS)) {
            problems.add("pages took " + millis + " ms, " + baseline.responseMillis() + " ms right after the push");
        }
        if (!baseline.errorLog().isEmpty()) {
            for (PhpErrorLog.Entry e :
                    PhpErrorLog.at(Path.of(baseline.errorLog())).since(baseline.logMark())) {
                if (e.fatal()) problems.add("PHP " + e.level() + " logged " + e.count() + "x: " + e.message());
            }
        }
        return new Probe(problems.isEmpty(), millis, problems);
    }
}
