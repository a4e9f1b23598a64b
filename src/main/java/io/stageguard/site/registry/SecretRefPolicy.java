package io.stageguard.site.registry;

import io.stageguard.site.Site;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which secrets a site definition may name by reference (review 954a1fc, L5). A reference is
 * resolved with Stageguard's own rights and its value is sent to a server the definition names
 * (a database password, a CDN token, a webhook URL), so {@code env:STAGEGUARD_SECRET_KEY} or
 * {@code file:/root/.ssh/id_ed25519} would hand Stageguard's keys to whoever writes the
 * definition. Only environment variables with the prefix and files in the folder given here may
 * be named.
 *
 * @param envPrefix the start every {@code env:} name must have (default {@code STAGEGUARD_SITE_})
 * @param folder    the folder every {@code file:} must lie in, by real path (default {@code /etc/stageguard/secrets})
 */
@ConfigurationProperties("stageguard.secrets")
public record SecretRefPolicy(String envPrefix, Path folder) {
    public SecretRefPolicy {
        if (envPrefix == null || envPrefix.isBlank()) envPrefix = "STAGEGUARD_SITE_";
        if (folder == null) folder = Path.of("/etc/stageguard/secrets");
        if (!folder.isAbsolute())
            throw new IllegalArgumentException("stageguard.secrets.folder must be an absolute path");
    }

    /** Every reference of the definition that is not allowed, by field. */
    public Map<String, String> problems(Site site) {
        Map<String, String> refs = new LinkedHashMap<>();
        refs.put("live.database.passwordRef", site.live().database().passwordRef());
        refs.put("staging.database.passwordRef", site.staging().database().passwordRef());
        if (site.caches() != null && site.caches().cloudflare() != null)
            refs.put("caches.cloudflare.tokenRef", site.caches().cloudflare().tokenRef());
        if (site.caches() != null && site.caches().fastly() != null)
            refs.put("caches.fastly.keyRef", site.caches().fastly().keyRef());
        if (site.webhook() != null) refs.put("webhook.urlRef", site.webhook().urlRef());
        Map<String, String> problems = new LinkedHashMap<>();
        refs.forEach((field, ref) -> {
            String problem = ref == null ? null : problem(ref);
            if (problem != null) problems.put(field, problem);
        });
        return problems;
    }

    private String problem(String ref) {
        if (ref.startsWith("env:")) {
            return ref.substring(4).startsWith(envPrefix)
                    ? null
                    : "must name an environment variable starting with " + envPrefix
                            + " (stageguard.secrets.env-prefix): Stageguard's own are not a site's";
        }
        if (ref.startsWith("file:")) {
            try {
                // resolved now, links and all: a link in the folder that leads out, or dangles until it does, is
                // refused
                Path file = Path.of(ref.substring(5)).toRealPath();
                if (java.nio.file.Files.isRegularFile(file) && file.startsWith(folder.toRealPath())) return null;
            } catch (IOException | RuntimeException unreadable) {
                // refused below, like any file outside the folder
            }
            return "must name an existing file in " + folder + " (stageguard.secrets.folder)";
        }
        return null; // the form itself is checked with the rest of the definition
    }
}
