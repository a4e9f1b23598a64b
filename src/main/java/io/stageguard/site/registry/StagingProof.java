package io.stageguard.site.registry;

import io.stageguard.site.DatabaseConnection;
import io.stageguard.site.Site;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * in live's database under another prefix, as WP Staging sets it up, stays allowed. Before tables
 * are dropped, any comparison that cannot be made refuses, and staging's prefix must be empty or
 * carry this site's {@link StagingDatabaseMark}, whose nonce no other site's connection may show.
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
        Map<String, String> problems =
                new LinkedHashMap<>(folderProblems(site, site.staging().documentRoot()));
        problems.putAll(databaseProblems(site));
        problems.putAll(sharedLiveProblems(site));
        return problems;
    }

    /**
     * Another registered site whose live is this one's (review 954a1fc, M1): its releases would
     * back up, push to and roll back the same files and tables under another site's slot. The same
     * root by real path, or the same database (as the server says, or the definitions where it
     * cannot be asked) with the same table prefix. A site in a subfolder of another's root, or
     * beside it in one database under another prefix, is a neighbour and stays allowed.
     */
    Map<String, String> sharedLiveProblems(Site site) {
        Map<String, String> problems = new LinkedHashMap<>();
        for (Site other : sites.all()) {
            if (other.id().equals(site.id())) continue;
            try {
                if (realPath(site.live().documentRoot())
                        .equals(realPath(other.live().documentRoot()))) {
                    problems.put(
                            "live.documentRoot", "is site '" + other.id() + "' live document root: one live, one site");
                }
            } catch (IOException unresolvable) {
                // a root that cannot be resolved is refused by the definition's own checks
            }
            if (!problems.containsKey("live.database")
                    && sameLiveTables(site.live().database(), other.live().database())) {
                problems.put(
                        "live.database",
                        "is site '" + other.id() + "' live database with the same table prefix '"
                                + site.live().database().tablePrefix() + "': one live, one site");
            }
        }
        return problems;
    }

    private static boolean sameLiveTables(DatabaseConnection a, DatabaseConnection b) {
        if (!a.tablePrefix().equals(b.tablePrefix())) return false;
        try (Connection ca = a.open();
                Connection cb = b.open()) {
            return sameServer(ca, cb)
                    && Location.of(ca, "").database().equals(Location.of(cb, "").database());
        } catch (SQLException | RuntimeException cannotAsk) {
            return a.host().equalsIgnoreCase(b.host())
                    && a.port() == b.port()
                    && a.name().equalsIgnoreCase(b.name());
        }
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
            problems.put(
                    "staging.documentRoot",
                    site.staging().documentRoot() + " is not the staging copy Stageguard made for site '" + site.id()
                            + "' (no " + MARKER + "): clone staging first");
        }
        if (!problems.isEmpty()) throw new NotStagingException(problems);
    }

    /**
     * Before a clone, a snapshot or a rehearsal drops or writes staging's tables, on the connection
     * that will write them (a proof taken on another connection proves another moment): staging
     * apart from live and every other site by the servers' own word, where any comparison that cannot
     * be made refuses; then staging's prefix empty (marked now) or carrying this site's mark; then the
     * mark seen through no other site's connection under an overlapping prefix.
     */
    public void proveDatabase(Site site, Connection staging) {
        String problem;
        try {
            problem = collision(site, staging, true);
            if (problem == null) {
                StagingDatabaseMark.Claim claim = StagingDatabaseMark.claim(staging, site);
                problem = claim.refusal() != null ? claim.refusal() : markSeenElsewhere(site, claim.nonce());
            }
        } catch (SQLException e) {
            problem = "could not be proven to be staging (" + e.getMessage() + "); nothing was written";
        }
        if (problem != null) throw new NotStagingException(Map.of("staging.database", problem));
    }

    /**
     * Whether staging's tables live in live's own database (WP Staging's layout: same database,
     * another prefix), as the server says; true when it cannot be told. Scratch tables then have no
     * place apart from live's database.
     */
    public boolean sharesLiveDatabase(Site site) {
        try (Connection s = site.staging().database().open();
                Connection l = site.live().database().open()) {
            return sameServer(s, l)
                    && Location.of(s, "").database().equals(Location.of(l, "").database());
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
            if (collision == null)
                collision = collision(
                        staging, other.staging().documentRoot(), "site '" + other.id() + "' staging document root");
        }
        if (collision != null) {
            problems.put(field, collision);
            return problems;
        }
        if (Files.isDirectory(staging) && !carriesMarker(staging, site)) {
            try (Stream<Path> children = Files.list(staging)) {
                if (children.findAny().isPresent()) {
                    problems.put(
                            field,
                            staging + " holds files Stageguard did not put there (no " + MARKER + " for site '"
                                    + site.id() + "'): give staging an empty or new folder");
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

    /** At registration: nothing is written yet, so a server that cannot be reached is compared by what the definitions say. */
    Map<String, String> databaseProblems(Site site) {
        String problem;
        try (Connection staging = site.staging().database().open()) {
            problem = collision(site, staging, false);
        } catch (SQLException unreachable) {
            problem = null;
            for (Comparison c : comparisons(site)) {
                if (problem == null) problem = byDefinition(site.staging().database(), c.other(), c.what());
            }
        }
        return problem == null ? Map.of() : Map.of("staging.database", problem);
    }

    /** A database staging must be apart from, how a message names it, and whether it is this site's own live. */
    private record Comparison(DatabaseConnection other, String what, boolean ownLive) {}

    private List<Comparison> comparisons(Site site) {
        List<Comparison> all = new ArrayList<>();
        all.add(new Comparison(site.live().database(), "live's database", true));
        for (Site other : sites.all()) {
            if (other.id().equals(site.id())) continue;
            all.add(new Comparison(other.live().database(), "site '" + other.id() + "' live database", false));
            all.add(new Comparison(other.staging().database(), "site '" + other.id() + "' staging database", false));
        }
        return all;
    }

    /**
     * The first database staging collides with, or null. {@code strict} (before writing): a probe
     * that fails between two reachable servers, or live that cannot be reached, is a collision,
     * because only the server's own answer proves two names apart (an alias, a proxy or a port
     * forward makes different names one server). Another site's database that cannot be reached at
     * all is compared by its definition, as at registration: one site's broken credentials do not stop
     * every other site's releases, and staging's mark keeps a database reached by mistake from being
     * emptied (a prefix with tables is dropped only when it carries this site's mark).
     */
    private String collision(Site site, Connection staging, boolean strict) {
        DatabaseConnection stagingDb = site.staging().database();
        for (Comparison c : comparisons(site)) {
            String problem;
            Connection other;
            try {
                other = c.other().open();
            } catch (SQLException unreachable) {
                problem =
                        strict && c.ownLive() ? refusal(c, unreachable) : byDefinition(stagingDb, c.other(), c.what());
                if (problem != null) return problem;
                continue;
            }
            try (other) {
                problem = sameServer(staging, other)
                        ? overlap(
                                Location.of(staging, stagingDb.tablePrefix()),
                                Location.of(other, c.other().tablePrefix()),
                                c.what())
                        : null;
            } catch (SQLException probeFailed) {
                problem = strict ? refusal(c, probeFailed) : byDefinition(stagingDb, c.other(), c.what());
            }
            if (problem != null) return problem;
        }
        return null;
    }

    private static String refusal(Comparison c, SQLException e) {
        return "could not be compared with " + c.what() + " (" + e.getMessage()
                + "): staging's tables are written only when the servers themselves "
                + "tell the two apart; nothing was written";
    }

    /** What the definitions say when a server cannot be asked: the same host and port are taken for the same server. */
    private static String byDefinition(DatabaseConnection staging, DatabaseConnection other, String what) {
        if (!staging.host().equalsIgnoreCase(other.host()) || staging.port() != other.port()) return null;
        return overlap(
                new Location(staging.name().toLowerCase(Locale.ROOT), staging.tablePrefix()),
                new Location(other.name().toLowerCase(Locale.ROOT), other.tablePrefix()),
                what);
    }

    /** Staging's mark seen through a connection that is not staging's, under a prefix that overlaps staging's: that connection reaches staging's data. */
    private String markSeenElsewhere(Site site, String nonce) {
        String prefix = site.staging().database().tablePrefix();
        for (Comparison c : comparisons(site)) {
            try (Connection other = c.other().open()) {
                if (StagingDatabaseMark.visibleThrough(other, prefix, nonce)
                        && overlaps(prefix, c.other().tablePrefix())) {
                    return "reaches the same data as " + c.what() + " (Stageguard's staging mark "
                            + StagingDatabaseMark.table(prefix) + " is visible through its connection, prefix '"
                            + c.other().tablePrefix() + "'), though the server answers as another";
                }
            } catch (SQLException unreachable) {
                // a connection that cannot be opened shows nothing
            }
        }
        return null;
    }

    private static String overlap(Location a, Location b, String what) {
        if (!a.database().equalsIgnoreCase(b.database())) return null;
        if (a.prefix().equals(b.prefix())) {
            return "is " + what + ": the server says both are database '" + b.database() + "' with table prefix '"
                    + b.prefix() + "'";
        }
        if (overlaps(a.prefix(), b.prefix())) {
            return "shares " + what + " ('" + b.database() + "') with an overlapping table prefix ('" + a.prefix()
                    + "' and '" + b.prefix()
                    + "'): one site's tables would be taken for the other's; choose a prefix that does not start with the other";
        }
        return null;
    }

    private static boolean overlaps(String a, String b) {
        return a.startsWith(b) || b.startsWith(a);
    }

    private record Location(String database, String prefix) {
        static Location of(Connection c, String prefix) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT DATABASE()");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Location(rs.getString(1).toLowerCase(Locale.ROOT), prefix);
            }
        }
    }

    /** The Galera cluster's state UUID a server belongs to, or null outside a cluster. */
    private static String galeraCluster(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SHOW GLOBAL STATUS LIKE 'wsrep_cluster_state_uuid'");
                ResultSet rs = ps.executeQuery()) {
            String uuid = rs.next() ? rs.getString(2) : null;
            return uuid == null || uuid.isBlank() ? null : uuid;
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
                if (!rs.next() || rs.getInt(1) != 1)
                    throw new SQLException(
                            "could not take a probe lock on " + a.getMetaData().getURL());
            }
        }
        try (PreparedStatement free = b.prepareStatement("SELECT IS_FREE_LOCK(?)")) {
            free.setString(1, lock);
            try (ResultSet rs = free.executeQuery()) {
                if (rs.next() && rs.getInt(1) == 0) return true;
            }
            // user-level locks are per node in a Galera cluster: nodes of one cluster hold the same data
            String cluster = galeraCluster(a);
            return cluster != null && cluster.equals(galeraCluster(b));
        } finally {
            try (PreparedStatement release = a.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                release.setString(1, lock);
                release.executeQuery().close();
            }
        }
    }
}
