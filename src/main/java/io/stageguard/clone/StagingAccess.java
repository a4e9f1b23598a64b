package io.stageguard.clone;

import io.stageguard.support.Sha256;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The credential that gets Stageguard (and people an operator gives it to) past the staging guard.
 * One per site, made once and kept in Stageguard's own database: staging's wp-config.php holds
 * only its hash, and no process variable ever holds it.
 */
@Component
public class StagingAccess {
    /** The header the guard reads; HTTP basic auth with the token as password works too, for people. */
    public static final String HEADER = "X-Stageguard-Access";

    private static final SecureRandom RANDOM = new SecureRandom();
    private final JdbcTemplate jdbc;

    public StagingAccess(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public String token(String siteId) {
        List<String> existing =
                jdbc.queryForList("select token from sg_staging_access where site_id = ?", String.class, siteId);
        if (!existing.isEmpty()) return existing.get(0);
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        try {
            jdbc.update(
                    "insert into sg_staging_access (site_id, token, created_at) values (?, ?, ?)",
                    siteId,
                    HexFormat.of().formatHex(bytes),
                    Timestamp.from(Instant.now()));
        } catch (DuplicateKeyException raced) {
            // another task made it first; theirs stands
        }
        return jdbc.queryForObject("select token from sg_staging_access where site_id = ?", String.class, siteId);
    }

    public String tokenSha256(String siteId) {
        return Sha256.of(token(siteId));
    }

    /** Headers for a request to the site's staging copy. */
    public Map<String, String> headers(String siteId) {
        return Map.of(HEADER, token(siteId));
    }
}
