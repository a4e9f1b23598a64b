package io.stageguard.testsupport;

import io.stageguard.site.SiteEnvironment;
import io.stageguard.support.Sha256;
import io.stageguard.wordpress.WordPressTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything on a live site that Stageguard could change: every file's bytes, and every
 * database row except the housekeeping WordPress writes on its own when pages are viewed
 * (transients and the cron schedule).
 */
public record LiveSnapshot(Map<String, String> files, Map<String, List<String>> tables) {

    public static LiveSnapshot of(SiteEnvironment env) throws IOException, SQLException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(env.documentRoot())) {
            for (Path p : paths.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .toList()) {
                files.put(env.documentRoot().relativize(p).toString(), Sha256.of(p));
            }
        }
        Map<String, List<String>> tables = new TreeMap<>();
        try (Connection c = env.database().open()) {
            for (String table : WordPressTables.list(c, env.database().tablePrefix())) {
                List<String> rows = new ArrayList<>();
                boolean options = table.equals(env.database().tablePrefix() + "options");
                WordPressTables.stream(c, table, columns -> {}, row -> {
                    if (options && isHousekeeping((String) row[1])) return;
                    StringBuilder line = new StringBuilder();
                    for (Object v : row)
                        line.append(v instanceof byte[] b ? new String(b) : v).append('\u241F');
                    rows.add(line.toString());
                });
                rows.sort(null);
                tables.put(table, rows);
            }
        }
        return new LiveSnapshot(files, tables);
    }

    /** What differs from an earlier snapshot, one line per file or row; empty when nothing does. */
    public List<String> differencesFrom(LiveSnapshot earlier) {
        List<String> out = new ArrayList<>();
        java.util.Set<String> paths = new java.util.TreeSet<>(files.keySet());
        paths.addAll(earlier.files.keySet());
        for (String p : paths) {
            if (!java.util.Objects.equals(files.get(p), earlier.files.get(p))) out.add("file " + p);
        }
        java.util.Set<String> names = new java.util.TreeSet<>(tables.keySet());
        names.addAll(earlier.tables.keySet());
        for (String t : names) {
            List<String> now = tables.getOrDefault(t, List.of());
            List<String> then = earlier.tables.getOrDefault(t, List.of());
            now.stream()
                    .filter(r -> !then.contains(r))
                    .forEach(r -> out.add("row added in " + t + ": " + abbreviate(r)));
            then.stream()
                    .filter(r -> !now.contains(r))
                    .forEach(r -> out.add("row gone from " + t + ": " + abbreviate(r)));
        }
        return out;
    }

    private static String abbreviate(String row) {
        return row.length() > 160 ? row.substring(0, 160) + "..." : row;
    }

    private static boolean isHousekeeping(String optionName) {
        return optionName.startsWith("_transient_")
                || optionName.startsWith("_site_transient_")
                || optionName.equals("cron");
    }
}
