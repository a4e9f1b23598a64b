package io.stageguard.site;

import java.util.Map;

/**
 * Where a site's release events are posted as JSON with a Slack-compatible {@code text} (a Slack or
 * Mattermost incoming webhook takes it as it is). The URL carries the receiver's token, so it is
 * kept like a password: stored encrypted, or given by reference ({@link SecretRef}); never shown.
 */
public record SiteWebhook(String url, String urlRef) {

    public String target() {
        return SecretRef.resolve(url, urlRef);
    }

    public static void check(SiteWebhook webhook, Map<String, String> errors) {
        if (webhook == null) return;
        SecretRef.check("webhook.url", webhook.url(), "webhook.urlRef", webhook.urlRef(), errors);
        if (webhook.url() != null && !webhook.url().matches("https?://[^\\s/]+\\S*"))
            errors.putIfAbsent("webhook.url", "must be an http(s) URL");
    }

    /** The same webhook with its stored URL changed (sealed for storage, or opened). */
    public SiteWebhook withSecret(java.util.function.UnaryOperator<String> change) {
        return new SiteWebhook(change.apply(url), urlRef);
    }
}
