package io.stageguard.site;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * Proves, at the moment before Stageguard empties a folder or drops a table, that the target is
 * this site's staging and nothing else. A site definition was checked when it was registered, but
 * folders fill, symlinks move and host names alias; so the proof is taken again from the file
 * system and from the database server itself every time, and a refusal writes nothing.
 *
 * <p>The folder: empty, missing, or carrying Stageguard's marker for this site; its real path (links
 * resolved) neither is, contains nor lies inside live's root or any other registered site's roots.
 * The database: if the server itself says staging and live (or another site) are the same server
 * (a user-level lock taken through one connection is seen held through the other, whatever host
 * names were used) and {@code DATABASE()} is the same, the table prefixes must not overlap. Staging
 * in live's database under another prefix, as WP Staging sets it up, stays allowed.
 */
@Component
public class StagingProof {
    /** Written into staging's root at its first clone; only a folder that carries it may be emptied. */
    public static final String MARKER = ".stageguard-staging";
    private final KnownSites sites;

    public StagingProof(KnownSites sites) {
        this.sites = sites;
    }

    /** Every collision, by field, for a definition about to be stored (PUT answers 400 with them). */
    public Map<String, String> problems(Site site) {
        Map<String, String> problems = new LinkedHashMap<>(folderProblems(site, site.staging().documentRoot()));
        problems.putAll(databaseProblems(site));
        return problems;
    }

    /** Before a clone replaces staging's files. */
    public void proveFolder(Site site) {
        Map<String, String> problems = folderProblems(site, site.staging().documentRoot());
        if (!problems.isEmpty()) throw new NotStagingException(problems);
    }

    /** Before a change is installed into staging: it must still be the folder a clone made. */
    public void proveCloned(Site site) {
        Map<String, String> problems = folderProblems(site, site.staging().documentRoot());
        if (problems.isEmpty() && !carriesMarker(site.staging().documentRoot(), site)) {
            problems.put("staging.documentRoot", site.staging().documentRoot() + " is not the staging copy Stageguard made for site '"
                    + site.id() + "' (no " + MARKER + "): clone staging first");
        }
        if (!problems.isEmpty()) throw new NotStagingException(problems);
    }

    /** Before a clone drops staging's tables. */
    public void proveDatabase(Site site) {
        Map<String, String> problems = databaseProblems(site);
        if (!problems.isEmpty()) throw new NotStagingException(problems);
    }

    /**
     * Whether staging's tables live in live's own database (WP Staging's layout: same database,
     * another prefix), as the server says; true when it cannot be told. Scratch tables then have no
     * place apart from live's database.
     */
    public boolean sharesLiveDatabase(Site site) {
        try (Connection s = site.staging().database().open(); Connection l = site.live().database().open()) {
            return sameServer(s, l) && Location.of(s, "").database().equals(Location.of(l, "").database());
        } catch (SQLException unreachable) {
            return true;
        }
    }

    /** Marks a folder as this site's staging (or a folder Stageguard builds staging in). */
    public static void mark(Path folder, Site site) throws IOException {
        Files.writeString(folder.resolve(MARKER), "site=" + site.id() + "\n", StandardCharsets.UTF_8);
    }

    /** Whether Stageguard made this folder for this site, so it may be emptied or removed. */
    public static boolean carriesMarker(Path folder, Site site) {
        Path marker = folder.resolve(MARKER);
        try {
            return Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)
                    && Files.readString(marker, StandardCharsets.UTF_8).strip().equals("site=" + site.id());
        } catch (IOException e) {
            return false;
        }
    }

    Map<String, String> folderProblems(Site site, Path stagingRoot) {
        Map<String, String> problems = new LinkedHashMap<>();
        String field = "staging.documentRoot";
        Path staging;
        try {
            staging = realPath(stagingRoot);
        } catch (IOException e) {
            problems.put(field, "cannot be resolved (" + e.getMessage() + ")");
            return problems;
        }
        String collision = collision(staging, site.live().documentRoot(), "live's document root");
        for (Site other : sites.all()) {
            if (collision != null) break;
            if (other.id().equals(site.id())) continue;
            collision = collision(staging, other.live().documentRoot(), "site '" + other.id() + "' live document root");
            if (collision == null) collision = collision(staging, other.staging().documentRoot(), "site '" + other.id() + "' staging document root");
        }
        if (collision != null) {
            problems.put(field, collision);
            return problems;
        }
        if (Files.isDirectory(staging) && !carriesMarker(staging, site)) {
            try (Stream<Path> children = Files.list(staging)) {
                if (children.findAny().isPresent()) {
                    problems.put(field, staging + " holds files Stageguard did not put there (no " + MARKER + " for site '" + site.id()
                            + "'): give staging an empty or new folder");
                }
            } catch (IOException e) {
                problems.put(field, "cannot be read (" + e.getMessage() + ")");
            }
        } else if (Files.exists(staging) && !Files.isDirectory(staging)) {
            problems.put(field, staging + " is a file, not a folder");
        }
        return problems;
    }

    /** Why {@code staging} may not be used next to {@code other}, or null when they are apart. */
    private static String collision(Path staging, Path other, String what) {
        Path real;
        try {
            real = realPath(other);
        } catch (IOException e) {
            return null;
        }
        if (staging.equals(real)) return "is " + what + " (" + real + ")";
        if (staging.startsWith(real)) return "lies inside " + what + " (" + real + ")";
        if (real.startsWith(staging)) return "contains " + what + " (" + real + ")";
        return null;
    }

    /** The path with every symlink resolved, also for a folder that does not exist yet (its parent resolved). */
    static Path realPath(Path path) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        if (Files.exists(absolute)) return absolute.toRealPath();
        Path parent = absolute.getParent();
        return parent == null ? absolute : realPath(parent).resolve(absolute.getFileName());
    }

    Map<String, String> databaseProblems(Site site) {
        Map<String, String> problems = new LinkedHashMap<>();
        DatabaseConnection staging = site.staging().database();
        String collision = databaseCollision(staging, site.live().database(), "live's database");
        for (Site other : sites.all()) {
            if (collision != null) break;
            if (other.id().equals(site.id())) continue;
            collision = databaseCollision(staging, other.live().database(), "site '" + other.id() + "' live database");
            if (collision == null) collision = databaseCollision(staging, other.staging().database(), "site '" + other.id() + "' staging database");
        }
        if (collision != null) problems.put("staging.database", collision);
        return problems;
    }

    private static String databaseCollision(DatabaseConnection staging, DatabaseConnection other, String what) {
        Location a;
        Location b;
        try (Connection s = staging.open(); Connection o = other.open()) {
            if (!sameServer(s, o)) return null;
            a = Location.of(s, staging.tablePrefix());
            b = Location.of(o, other.tablePrefix());
        } catch (SQLException e) {
            // a server we cannot reach cannot be compared by its own word: fall back to what the definitions say
            if (!staging.host().equalsIgnoreCase(other.host()) || staging.port() != other.port()) return null;
            a = new Location(staging.name(), staging.tablePrefix());
            b = new Location(other.name(), other.tablePrefix());
        }
        if (!a.database().equalsIgnoreCase(b.database())) return null;
        if (a.prefix().equals(b.prefix())) {
            return "is " + what + ": the server says both are database '" + b.database() + "' with table prefix '" + b.prefix() + "'";
        }
        if (a.prefix().startsWith(b.prefix()) || b.prefix().startsWith(a.prefix())) {
            return "shares " + what + " ('" + b.database() + "') with an overlapping table prefix ('" + a.prefix() + "' and '" + b.prefix()
                    + "'): one site's tables would be taken for the other's; choose a prefix that does not start with the other";
        }
        return null;
    }

    private record Location(String database, String prefix) {
        static Location of(Connection c, String prefix) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT DATABASE()"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Location(rs.getString(1).toLowerCase(Locale.ROOT), prefix);
            }
        }
    }

    /**
     * The server's own answer to "are these one server?": a user-level lock is server-wide, so a lock
     * held through one connection shows as taken through the other exactly when both reach the same
     * server, whatever host name, alias, port forward or proxy led there. Nothing is written.
     */
    private static boolean sameServer(Connection a, Connection b) throws SQLException {
        String lock = "stageguard-" + UUID.randomUUID();
        try (PreparedStatement take = a.prepareStatement("SELECT GET_LOCK(?, 0)")) {
            take.setString(1, lock);
            try (ResultSet rs = take.executeQuery()) {
                if (!rs.next() || rs.getInt(1) != 1) throw new SQLException("could not take a probe lock on " + a.getMetaData().getURL());
            }
        }
        try (PreparedStatement free = b.prepareStatement("SELECT IS_FREE_LOCK(?)")) {
            free.setString(1, lock);
            try (ResultSet rs = free.executeQuery()) {
                return rs.next() && rs.getInt(1) == 0;
            }
        } finally {
            try (PreparedStatement release = a.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                release.setString(1, lock);
                release.executeQuery().close();
            }
        }
    }
}
