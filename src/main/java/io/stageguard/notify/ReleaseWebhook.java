package io.stageguard.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stageguard.site.Site;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Posts a release event to the site's webhook, if it has one: JSON whose {@code text} a Slack or
 * Mattermost incoming webhook shows as it is, with the event, the release, the site and the links
 * beside it for other receivers. A receiver that is down or refuses is logged and never fails the
 * release; the URL (which carries the receiver's token) is never logged.
 */
@Component
public class ReleaseWebhook {
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseWebhook.class);
    private final ObjectMapper json;
    private final CloseableHttpClient client =
            io.stageguard.support.Http.client(java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(10), false);

    public ReleaseWebhook(ObjectMapper json) {
        this.json = json;
    }

    /** Posts {@code event} (which holds its {@code text}) to the site's webhook; false when there is none or it did not take it. */
    public boolean post(Site site, Map<String, Object> event) {
        if (site.webhook() == null) return false;
        try {
            HttpPost post = new HttpPost(site.webhook().target());
            post.setEntity(new StringEntity(json.writeValueAsString(event), ContentType.APPLICATION_JSON));
            return client.execute(post, response -> {
                EntityUtils.consume(response.getEntity());
                if (response.getCode() / 100 == 2) return true;
                LOG.warn(
                        "The webhook of site {} answered {} to \"{}\"",
                        site.id(),
                        response.getCode(),
                        event.get("text"));
                return false;
            });
        } catch (Exception e) {
            LOG.warn(
                    "Could not post \"{}\" to the webhook of site {}: {}",
                    event.get("text"),
                    site.id(),
                    e.getClass().getSimpleName());
            return false;
        }
    }
}
