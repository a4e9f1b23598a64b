package io.stageguard.site;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The caches in front of a site's live, purged after a push. The WordPress object cache and the
 * page-cache plugins a site runs need no entry: they are found and flushed through the site's own
 * PHP. Tokens are stored like database passwords (encrypted) or given by reference
 * ({@link SecretRef}); they never appear in process variables, history, logs or reports.
 *
 * @param reverseProxy a Varnish or nginx cache in front of live; null for none
 * @param cloudflare   a Cloudflare zone serving live; null for none
 * @param fastly       a Fastly service serving live; null for none
 */
public record SiteCaches(ReverseProxy reverseProxy, Cloudflare cloudflare, Fastly fastly) {
    public static final SiteCaches NONE = new SiteCaches(null, null, null);

    public enum PurgeMethod {
        PURGE,
        BAN
    }

    /**
     * @param url    where the proxy itself listens (requests carry live's host name)
     * @param method PURGE sends one request per page; BAN one request that bans every page of live's host
     */
    public record ReverseProxy(String url, PurgeMethod method) {
        public ReverseProxy {
            if (method == null) method = PurgeMethod.BAN;
        }
    }

    public record Cloudflare(String zoneId, String token, String tokenRef) {
        public String secret() {
            return SecretRef.resolve(token, tokenRef);
        }
    }

    public record Fastly(String serviceId, String key, String keyRef) {
        public String secret() {
            return SecretRef.resolve(key, keyRef);
        }
    }

    /** The same caches with each stored token changed (sealed for storage, or opened). */
    public SiteCaches withSecrets(UnaryOperator<String> change) {
        return new SiteCaches(
                reverseProxy,
                cloudflare == null
                        ? null
                        : new Cloudflare(cloudflare.zoneId(), change.apply(cloudflare.token()), cloudflare.tokenRef()),
                fastly == null ? null : new Fastly(fastly.serviceId(), change.apply(fastly.key()), fastly.keyRef()));
    }

    /** What may be shown: the targets, never the tokens. */
    public Map<String, Object> describe() {
        return Map.of(
                "reverseProxy", reverseProxy == null ? "none" : reverseProxy.method() + " " + reverseProxy.url(),
                "cloudflare", cloudflare == null ? "none" : "zone " + cloudflare.zoneId(),
                "fastly", fastly == null ? "none" : "service " + fastly.serviceId());
    }

    public static void check(SiteCaches caches, Map<String, String> errors) {
        if (caches.reverseProxy() != null
                && (caches.reverseProxy().url() == null
                        || !caches.reverseProxy().url().matches("https?://\\S+"))) {
            errors.put("caches.reverseProxy.url", "must be an http(s) URL");
        }
        if (caches.cloudflare() != null) {
            Cloudflare cf = caches.cloudflare();
            if (cf.zoneId() == null || !cf.zoneId().matches("[A-Za-z0-9]{1,64}"))
                errors.put("caches.cloudflare.zoneId", "must be the zone's id (letters and digits)");
            SecretRef.check("caches.cloudflare.token", cf.token(), "caches.cloudflare.tokenRef", cf.tokenRef(), errors);
        }
        if (caches.fastly() != null) {
            Fastly f = caches.fastly();
            if (f.serviceId() == null || !f.serviceId().matches("[A-Za-z0-9]{1,64}"))
                errors.put("caches.fastly.serviceId", "must be the service's id (letters and digits)");
            SecretRef.check("caches.fastly.key", f.key(), "caches.fastly.keyRef", f.keyRef(), errors);
        }
    }
}
