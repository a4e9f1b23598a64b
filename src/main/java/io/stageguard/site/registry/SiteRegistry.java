package io.stageguard.site.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stageguard.StageguardProperties;
import io.stageguard.site.Site;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.site.SiteQa;
import io.stageguard.site.UserFlow;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The sites Stageguard may release. Definitions live in the application's own database, so that
 * process variables only ever carry a site id; the passwords in them (databases, the QA admin
 * login, CDN tokens) are stored encrypted ({@link SecretBox}) or not at all (a {@code passwordRef}).
 */
@Component
public class SiteRegistry implements KnownSites {
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final SecretBox secrets;

    public SiteRegistry(
            JdbcTemplate jdbc,
            ObjectMapper json,
            @Value("${stageguard.secret-key:}") String secretKey,
            StageguardProperties app) {
        this.jdbc = jdbc;
        this.json = json;
        this.secrets = SecretBox.from(secretKey, app.dataDir().resolve("secret.key"));
    }

    public void save(Site site) {
        String definition;
        try {
            definition = json.writeValueAsString(withPasswords(site, secrets::seal));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize site " + site.id(), e);
        }
        Timestamp now = Timestamp.from(Instant.now());
        int updated = jdbc.update(
                "update sg_site set definition = ?, updated_at = ? where id = ?", definition, now, site.id());
        if (updated == 0) {
            jdbc.update(
                    "insert into sg_site (id, definition, updated_at) values (?, ?, ?)", site.id(), definition, now);
        }
    }

    public Optional<Site> find(String id) {
        List<String> rows = jdbc.queryForList("select definition from sg_site where id = ?", String.class, id);
        return rows.stream().findFirst().map(this::read);
    }

    @Override
    public List<Site> all() {
        return jdbc.queryForList("select definition from sg_site order by id", String.class).stream()
                .map(this::read)
                .toList();
    }

    public Site get(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("unknown site " + id));
    }

    private Site read(String definition) {
        try {
            return withPasswords(json.readValue(definition, Site.class), secrets::open);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored site definition is unreadable", e);
        }
    }

    private static Site withPasswords(Site site, UnaryOperator<String> change) {
        SiteQa qa = site.qa();
        SiteQa.AdminScreens admin = qa.admin() == null
                ? null
                : new SiteQa.AdminScreens(
                        qa.admin().user(),
                        change.apply(qa.admin().password()),
                        qa.admin().paths());
        return new Site(
                site.id(),
                withPassword(site.live(), change),
                withPassword(site.staging(), change),
                new SiteQa(
                        qa.masks(),
                        qa.flows().stream()
                                .map(flow -> withSecretValues(flow, change))
                                .toList(),
                        admin),
                site.access(),
                site.caches().withSecrets(change),
                site.tags(),
                site.webhook() == null ? null : site.webhook().withSecret(change));
    }

    /** A flow's secret values (a password typed into a login form) are sealed like the site's other passwords (review 954a1fc, L1). */
    private static UserFlow withSecretValues(UserFlow flow, UnaryOperator<String> change) {
        if (flow == null) return null;
        return new UserFlow(
                flow.name(),
                flow.steps().stream()
                        .map(step -> step == null || !step.secret()
                                ? step
                                : new UserFlow.Step(
                                        step.action(),
                                        step.path(),
                                        step.selector(),
                                        change.apply(step.value()),
                                        step.text(),
                                        true))
                        .toList());
    }

    private static SiteEnvironment withPassword(SiteEnvironment env, UnaryOperator<String> change) {
        return new SiteEnvironment(
                env.baseUrl(),
                env.documentRoot(),
                env.database().withPassword(change.apply(env.database().password())),
                env.phpRuntime());
    }
}
