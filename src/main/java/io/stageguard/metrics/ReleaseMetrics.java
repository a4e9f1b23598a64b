package io.stageguard.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * What Stageguard measures for Prometheus ({@code /actuator/prometheus}), per site: releases
 * started and how they ended (the deployment success rate is released / ended), how long each
 * phase took, pages QA checked, the parity index of the newest clone, and how long rollbacks took.
 */
@Component
public class ReleaseMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicReference<Double>> parity = new ConcurrentHashMap<>();

    public ReleaseMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void started(String siteId) {
        registry.counter("stageguard.releases.started", "site", siteId).increment();
    }

    /** @param outcome the end the release reached, as its end event names it ("Released", "Rolled back", "Approval expired", ...) */
    public void ended(String siteId, String outcome) {
        registry.counter("stageguard.releases.ended", "site", siteId, "outcome", outcome)
                .increment();
    }

    /** @param phase the phase as the model names it ("1 Create staging clone", ...) */
    public void phase(String siteId, String phase, Duration took) {
        Timer.builder("stageguard.phase.duration")
                .description("how long a release spent in a phase")
                .tags("site", siteId, "phase", phase)
                .register(registry)
                .record(took);
    }

    public void pagesChecked(String siteId, int pages) {
        registry.counter("stageguard.qa.pages.checked", "site", siteId).increment(pages);
    }

    /** The parity index of the site's newest staging clone: the share of compared items that match, 0 to 1. */
    public void parity(String siteId, double index) {
        parity.computeIfAbsent(siteId, id -> {
                    AtomicReference<Double> value = new AtomicReference<>(index);
                    registry.gauge(
                            "stageguard.parity.index",
                            io.micrometer.core.instrument.Tags.of("site", id),
                            value,
                            v -> v.get());
                    return value;
                })
                .set(index);
    }

    public void rollback(String siteId, Duration took) {
        Timer.builder("stageguard.rollback.duration")
                .description("restoring a pre-deploy backup on live, files and database")
                .tags("site", siteId)
                .register(registry)
                .record(took);
    }
}
