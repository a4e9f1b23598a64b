package io.stageguard.site;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The PHP programs Stageguard may run, by name. A site definition names one of them
 * ({@code phpRuntime}); it can never name a program, because whoever registers a site would then
 * choose what Stageguard executes.
 *
 * @param runtimes runtime name to PHP binary; {@code default} is used when a site names none
 * @param timeout  how long one PHP run may take before it is killed
 */
@ConfigurationProperties("stageguard.php")
public record PhpProperties(Map<String, String> runtimes, Duration timeout) {
    public static final String DEFAULT_RUNTIME = "default";

    public PhpProperties {
        Map<String, String> known = new LinkedHashMap<>();
        known.put(DEFAULT_RUNTIME, "php");
        if (runtimes != null) known.putAll(runtimes);
        runtimes = Map.copyOf(known);
        if (timeout == null) timeout = Duration.ofMinutes(5);
    }

    /** The configuration used by tests and the demo: the {@code php} on the PATH, five minutes. */
    public static PhpProperties defaults() {
        return new PhpProperties(null, null);
    }

    public String binary(String runtime) {
        String binary = runtimes.get(runtime == null ? DEFAULT_RUNTIME : runtime);
        if (binary == null) throw new IllegalArgumentException("no PHP runtime named '" + runtime + "' is configured");
        return binary;
    }
}
