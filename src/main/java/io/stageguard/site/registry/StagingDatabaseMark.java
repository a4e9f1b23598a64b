package io.stageguard.site.registry;

import io.stageguard.site.Site;
import io.stageguard.wordpress.WordPressTables;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which site's staging a database prefix is: a one-row table under staging's prefix that
 * Stageguard writes into an empty prefix at the first clone. The file system has had its marker
 * file since the first release; this is the database's. A prefix that holds tables but no mark
 * (somebody's WordPress, a database reached by mistake) is never emptied.
 *
 * <p>The mark's random nonce also tells, independently of the server's lock probe, whether another
 * connection reaches the same data: a replica or a read/write-splitting proxy answers the lock
 * probe as another server, but it shows the nonce.
 */
public final class StagingDatabaseMark {
    /** The mark's table, after staging's prefix. */
    public static final String TABLE = "stageguard_staging";

    private static final Logger log = LoggerFactory.getLogger(StagingDatabaseMark.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private StagingDatabaseMark() {}

    /** The mark's full table name in a database with this prefix. */
    public static String table(String prefix) {
        return prefix + TABLE;
    }

    /** Whether a table is the mark (kept out of everything that copies, snapshots or drops a site's tables). */
    public static boolean isMark(String table, String prefix) {
        return table.equals(table(prefix));
    }

    /** What the mark said, or why staging's prefix may not be written. */
    public record Claim(String nonce, String refusal) {
        static Claim refused(String why) {
            return new Claim(null, why);
        }
    }

    /**
     * Reads this site's mark on staging's connection, or writes one where the prefix holds no table
     * yet. A prefix with tables and no mark is refused, with one exception for stagings cloned before
     * the mark existed: an options table whose {@code siteurl} is staging's own URL (the clone wrote it)
     * is adopted and marked.
     */
    public static Claim claim(Connection staging, Site site) throws SQLException {
        String prefix = site.staging().database().tablePrefix();
        String table = table(prefix);
        if (WordPressTables.exists(staging, table)) {
            try (PreparedStatement ps =
                            staging.prepareStatement("SELECT site, nonce FROM " + WordPressTables.quote(table));
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next())
                    return Claim.refused(table
                            + " is empty: it was not written by Stageguard; remove it or give staging another prefix");
                if (!site.id().equals(rs.getString(1))) {
                    return Claim.refused("carries Stageguard's staging mark of site '" + rs.getString(1) + "' (" + table
                            + "), not of site '" + site.id() + "'");
                }
                return new Claim(rs.getString(2), null);
            }
        }
        List<String> tables = WordPressTables.list(staging, prefix);
        if (!tables.isEmpty()) {
            String siteUrl = siteUrl(staging, prefix).orElse(null);
            if (siteUrl == null
                    || !stripSlash(siteUrl).equals(stripSlash(site.staging().baseUrl()))) {
                return Claim.refused("holds " + tables.size() + " tables under prefix '" + prefix
                        + "' that Stageguard did not make for site '" + site.id() + "' (no " + table
                        + (siteUrl == null ? "" : "; its siteurl is " + siteUrl)
                        + "): give staging an empty database or a prefix of its own");
            }
            log.info(
                    "Staging database {} of site '{}' was cloned before staging databases were marked (its siteurl is staging's): marked now",
                    site.staging().database(),
                    site.id());
        }
        String nonce = HexFormat.of().formatHex(randomBytes());
        try (Statement st = staging.createStatement()) {
            st.execute(
                    "CREATE TABLE " + WordPressTables.quote(table)
                            + " (site VARCHAR(191) NOT NULL, nonce CHAR(32) NOT NULL, "
                            + "marked_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP) COMMENT='Stageguard: this prefix is the staging copy of one site; never copied to live'");
        }
        try (PreparedStatement ps = staging.prepareStatement(
                "INSERT INTO " + WordPressTables.quote(table) + " (site, nonce) VALUES (?, ?)")) {
            ps.setString(1, site.id());
            ps.setString(2, nonce);
            ps.executeUpdate();
        }
        return new Claim(nonce, null);
    }

    /**
     * Whether {@code other}, in its own database, shows the mark with this nonce under staging's
     * prefix: then it reaches staging's data, whatever server it says it is. A connection that cannot
     * read such a table does not reach it.
     */
    public static boolean visibleThrough(Connection other, String stagingPrefix, String nonce) {
        try (PreparedStatement ps = other.prepareStatement(
                "SELECT 1 FROM " + WordPressTables.quote(table(stagingPrefix)) + " WHERE nonce = ?")) {
            ps.setString(1, nonce);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException noSuchTable) {
            return false;
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static Optional<String> siteUrl(Connection c, String prefix) throws SQLException {
        String options = prefix + "options";
        return WordPressTables.exists(c, options)
                ? Optional.ofNullable(WordPressTables.option(c, options, "siteurl"))
                : Optional.empty();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
