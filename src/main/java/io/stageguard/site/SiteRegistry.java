package io.stageguard.site;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The sites Stageguard may release. Definitions (database passwords included) live in the
 * application's own database, so that process variables only ever carry a site id.
 */
@Component
public class SiteRegistry implements KnownSites {
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public SiteRegistry(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public void save(Site site) {
        String definition;
        try {
            definition = json.writeValueAsString(site);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize site " + site.id(), e);
        }
        Timestamp now = Timestamp.from(Instant.now());
        int updated = jdbc.update("update sg_site set definition = ?, updated_at = ? where id = ?", definition, now, site.id());
        if (updated == 0) {
            jdbc.update("insert into sg_site (id, definition, updated_at) values (?, ?, ?)", site.id(), definition, now);
        }
    }

    public Optional<Site> find(String id) {
        List<String> rows = jdbc.queryForList("select definition from sg_site where id = ?", String.class, id);
        return rows.stream().findFirst().map(this::read);
    }

    @Override
    public List<Site> all() {
        return jdbc.queryForList("select definition from sg_site order by id", String.class).stream().map(this::read).toList();
    }

    public Site get(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("unknown site " + id));
    }

    private Site read(String definition) {
        try {
            return json.readValue(definition, Site.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored site definition is unreadable", e);
        }
    }
}
