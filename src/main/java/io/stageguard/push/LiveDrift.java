package io.stageguard.push;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.support.Sha256;
import io.stageguard.update.Change;
import io.stageguard.update.ChangeFootprint;
import io.stageguard.wordpress.SiteInventoryReader;
import io.stageguard.wordpress.WordPressTables;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Has live changed since the release was tested? When a release's changes are applied to staging
 * (right after staging was cloned from live), this notes what live then was for everything the
 * release can touch: each target folder's content, the WordPress version, the database version.
 * Just before the first write to live, the same is read again; a plugin that auto-updated or a
 * file edited on live in between sends the release back to be tested on a fresh clone, instead of
 * being overwritten or downgraded unseen. Live is only read.
 */
@Component
public class LiveDrift {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JdbcTemplate jdbc;

    public LiveDrift(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void recordBaseline(String releaseId, SiteEnvironment live, List<Change> changes)
            throws IOException, SQLException {
        String baseline = JSON.writeValueAsString(read(live, ChangeFootprint.paths(live.documentRoot(), changes)));
        jdbc.update("delete from sg_live_baseline where release_id = ?", releaseId);
        jdbc.update(
                "insert into sg_live_baseline (release_id, baseline, taken_at) values (?, ?, ?)",
                releaseId,
                baseline,
                Timestamp.from(Instant.now()));
    }

    /** What differs now from the baseline, item by item ("wp-content/plugins/x: changed"); empty when live is as it was tested. */
    public List<String> since(String releaseId, SiteEnvironment live, Collection<String> folders)
            throws IOException, SQLException {
        List<String> stored = jdbc.queryForList(
                "select baseline from sg_live_baseline where release_id = ?", String.class, releaseId);
        if (stored.isEmpty())
            throw new IllegalStateException(
                    "release " + releaseId + " has no record of what live was when it was tested");
        Map<String, String> then = JSON.readValue(stored.get(0), new TypeReference<TreeMap<String, String>>() {});
        Map<String, String> now = read(live, folders);
        List<String> differences = new ArrayList<>();
        now.forEach((item, value) -> {
            String before = then.get(item);
            if (before != null && !before.equals(value)) differences.add(item + ": " + describe(item, before, value));
        });
        return differences;
    }

    private static String describe(String item, String before, String now) {
        // the rest are paths relative to the document root (a plugin's folder, wp-admin, wp-login.php)
        if (!item.startsWith("wordpress.") && !item.startsWith("database.")) {
            if (before.equals("absent")) return "appeared on live";
            if (now.equals("absent")) return "was removed from live";
            return "its files changed on live";
        }
        return "was " + before + ", is " + now;
    }

    private static Map<String, String> read(SiteEnvironment live, Collection<String> folders)
            throws IOException, SQLException {
        Map<String, String> items = new TreeMap<>();
        for (String folder : folders)
            items.put(folder, Sha256.ofTree(live.documentRoot().resolve(folder)));
        items.put("wordpress.version", SiteInventoryReader.wordpressVersion(live.documentRoot()));
        items.put("database.db_version", dbVersion(live));
        return items;
    }

    static String dbVersion(SiteEnvironment live) throws SQLException {
        try (Connection c = live.database().open()) {
            c.setReadOnly(true);
            try (PreparedStatement ps = c.prepareStatement("SELECT option_value FROM "
                            + WordPressTables.quote(live.database().tablePrefix() + "options")
                            + " WHERE option_name = 'db_version'");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "none";
            }
        }
    }
}
