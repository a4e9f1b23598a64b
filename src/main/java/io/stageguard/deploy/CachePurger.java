package io.stageguard.deploy;

import io.stageguard.site.Site;
import io.stageguard.site.WordPressTables;
import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Clears what would keep serving the old version after a deploy: WordPress transients (where
 * plugins cache rendered fragments and remote answers) and, optionally, a reverse proxy or CDN
 * that understands HTTP PURGE. A persistent object-cache drop-in is not flushed yet.
 */
@Component
public class CachePurger {
    private final PurgeProperties properties;

    public CachePurger(PurgeProperties properties) {
        this.properties = properties;
    }

    /** @param purgeUrl an HTTP PURGE target in front of live (Varnish, nginx proxy cache, a CDN API); empty for none */
    @ConfigurationProperties("stageguard.purge")
    public record PurgeProperties(String purgeUrl) {
    }

    public List<String> purge(Site site) throws SQLException, IOException {
        List<String> done = new ArrayList<>();
        String options = WordPressTables.quote(site.live().database().tablePrefix() + "options");
        try (Connection c = site.live().database().open(); Statement st = c.createStatement()) {
            int rows = st.executeUpdate("DELETE FROM " + options + " WHERE option_name LIKE '\\_transient\\_%' "
                    + "OR option_name LIKE '\\_site\\_transient\\_%'");
            done.add("deleted " + rows + " transient rows");
        }
        if (properties.purgeUrl() != null && !properties.purgeUrl().isBlank()) {
            try (CloseableHttpClient client = HttpClients.createDefault()) {
                int status = client.execute(new HttpUriRequestBase("PURGE", URI.create(properties.purgeUrl())), r -> r.getCode());
                if (status >= 400) throw new IOException("PURGE " + properties.purgeUrl() + " answered " + status);
                done.add("PURGE " + properties.purgeUrl() + " answered " + status);
            }
        }
        return done;
    }
}
