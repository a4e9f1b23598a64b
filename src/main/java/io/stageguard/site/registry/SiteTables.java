package io.stageguard.site.registry;

import io.stageguard.site.DatabaseConnection;
import io.stageguard.wordpress.WordPressTables;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which tables are a site's own: those with its prefix, less those of another registered site
 * whose longer prefix shares the same database (a site on {@code wp_} beside one on
 * {@code wp_shop_}). A backup holds, and a restore replaces or drops, exactly these, never the
 * neighbour's.
 */
public final class SiteTables {
    private SiteTables() {}

    public static List<String> of(Connection c, DatabaseConnection db, KnownSites sites) throws SQLException {
        Set<String> foreign = foreignPrefixes(db, sites);
        return WordPressTables.list(c, db.tablePrefix()).stream()
                .filter(t -> foreign.stream().noneMatch(t::startsWith))
                .toList();
    }

    /** The longer prefixes of other sites' databases (live or staging) that are this database, as their definitions name it. */
    static Set<String> foreignPrefixes(DatabaseConnection db, KnownSites sites) {
        return sites.all().stream()
                .flatMap(s -> Stream.of(s.live().database(), s.staging().database()))
                .filter(other ->
                        other.host().toLowerCase(Locale.ROOT).equals(db.host().toLowerCase(Locale.ROOT))
                                && other.port() == db.port()
                                && other.name().equalsIgnoreCase(db.name()))
                .map(DatabaseConnection::tablePrefix)
                .filter(p -> p.length() > db.tablePrefix().length() && p.startsWith(db.tablePrefix()))
                .collect(Collectors.toSet());
    }
}
