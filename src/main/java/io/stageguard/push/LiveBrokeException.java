package io.stageguard.push;

import io.stageguard.wordpress.SiteHealthCheck;

/**
 * Live answered an error or a PHP fatal on a QA path right after the swap: the release is rolled
 * back at once, before the caches are purged and before the browser verification.
 */
public class LiveBrokeException extends Exception {
    private final transient SiteHealthCheck.Health health;

    public LiveBrokeException(SiteHealthCheck.Health health) {
        super("live fails right after the swap: "
                + health.pages().stream()
                        .filter(p -> !p.healthy())
                        .map(p -> p.path() + " " + p.problem())
                        .reduce((a, b) -> a + "; " + b)
                        .orElse(""));
        this.health = health;
    }

    public SiteHealthCheck.Health health() {
        return health;
    }
}
