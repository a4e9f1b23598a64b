package io.stageguard.clone;

import io.stageguard.site.DatabaseConnection;
import io.stageguard.site.Site;
import io.stageguard.site.WordPressTables;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Phase 1: makes staging a copy of live. Both steps replace staging wholesale, so running them
 * again (a retry, or resetting staging between QA rounds) gives the same result.
 */
@Component
public class StagingCloner {
    private static final int BATCH_ROWS = 500;
    /** Where the staging guard lives in staging; must-use plugins load before any other and cannot be switched off. */
    static final Path GUARD = Path.of("wp-content", "mu-plugins", "stageguard-staging.php");
    private final CloneProperties properties;

    public StagingCloner(CloneProperties properties) {
        this.properties = properties;
    }

    public record FileReport(long files, long bytes, long millis) {
        public String summary() {
            return files + " files, " + bytes / 1024 + " KiB copied in " + millis + " ms";
        }
    }

    /**
     * @param keysRenamed option and usermeta keys that carry the table prefix, renamed to staging's
     * @param sanitized   rows changed per sanitize rule
     */
    public record DatabaseReport(int tables, long rows, long valuesRewritten, long keysRenamed, Map<String, Long> sanitized, long millis) {
        public String summary() {
            return tables + " tables, " + rows + " rows, " + valuesRewritten + " values rewritten, " + keysRenamed
                    + " prefixed keys renamed, " + sanitized.values().stream().mapToLong(Long::longValue).sum()
                    + " personal values replaced in " + millis + " ms";
        }
    }

    /**
     * Copies live's files into staging, gives staging its own wp-config.php and installs the staging
     * guard, which admits only requests carrying the credential whose SHA-256 is {@code accessSha256}.
     */
    public FileReport cloneFiles(Site site, String accessSha256) throws IOException {
        long start = System.nanoTime();
        Path liveRoot = site.live().documentRoot();
        Path stagingRoot = site.staging().documentRoot();
        Path liveConfig = liveRoot.resolve("wp-config.php");
        if (!Files.isRegularFile(liveConfig)) {
            throw new IllegalStateException("live has no wp-config.php at " + liveConfig);
        }
        Set<Path> excluded = properties.exclude().stream().map(Path::of).collect(Collectors.toSet());
        excluded.add(Path.of("wp-config.php"));
        excluded.add(Path.of("robots.txt"));
        excluded.add(GUARD);
        FileTreeCopier.emptyFolder(stagingRoot);
        FileTreeCopier.Copied copied = FileTreeCopier.copy(liveRoot, stagingRoot, excluded);
        String config = StagingConfigWriter.stagingConfig(Files.readString(liveConfig, StandardCharsets.UTF_8), site.staging(),
                accessSha256, properties.stagingCron(), properties.allowOutgoingHttp());
        Files.writeString(stagingRoot.resolve("wp-config.php"), config, StandardCharsets.UTF_8);
        // a robots.txt file is served by the web server before WordPress (and the guard) could answer
        Files.writeString(stagingRoot.resolve("robots.txt"), "User-agent: *\nDisallow: /\n", StandardCharsets.UTF_8);
        Path guard = stagingRoot.resolve(GUARD);
        Files.createDirectories(guard.getParent());
        try (InputStream in = StagingCloner.class.getResourceAsStream("/staging/stageguard-staging.php")) {
            Files.copy(Objects.requireNonNull(in, "staging guard missing from the classpath"), guard, StandardCopyOption.REPLACE_EXISTING);
        }
        return new FileReport(copied.files() + 3, copied.bytes(), (System.nanoTime() - start) / 1_000_000);
    }

    public DatabaseReport cloneDatabase(Site site) throws SQLException {
        long start = System.nanoTime();
        DatabaseConnection liveDb = site.live().database();
        DatabaseConnection stagingDb = site.staging().database();
        UrlRewriter rewriter = new UrlRewriter(site.live().baseUrl(), site.staging().baseUrl());
        PrefixedKeys keys = new PrefixedKeys(liveDb.tablePrefix(), stagingDb.tablePrefix());
        long rows = 0;
        long rewritten = 0;
        long renamed = 0;
        List<String> copied = new ArrayList<>();
        Map<String, Long> sanitized;
        try (Connection live = liveDb.open(); Connection staging = stagingDb.open()) {
            live.setReadOnly(true);
            WordPressTables.prepareForLoad(staging);
            for (String existing : WordPressTables.list(staging, stagingDb.tablePrefix())) {
                try (Statement st = staging.createStatement()) {
                    st.execute("DROP TABLE " + WordPressTables.quote(existing));
                }
            }
            for (String table : WordPressTables.list(live, liveDb.tablePrefix())) {
                String unprefixed = table.substring(liveDb.tablePrefix().length());
                String target = stagingDb.tablePrefix() + unprefixed;
                long[] counts = copyTable(live, staging, table, target, rewriter, keys.forTable(unprefixed), unprefixed.equals("posts"));
                rows += counts[0];
                rewritten += counts[1];
                renamed += counts[2];
                copied.add(target);
            }
            sanitized = DataSanitizer.sanitize(staging, stagingDb.tablePrefix(), copied, properties.sanitizeRules());
            hideFromSearchEngines(staging, stagingDb.tablePrefix());
        }
        return new DatabaseReport(copied.size(), rows, rewritten, renamed, sanitized, (System.nanoTime() - start) / 1_000_000);
    }

    /** Copies one table row by row; returns rows copied, values rewritten and keys renamed. */
    private long[] copyTable(Connection live, Connection staging, String table, String target, UrlRewriter rewriter,
                             PrefixedKeys.Column keyColumn, boolean keepGuid) throws SQLException {
        String create = WordPressTables.createStatement(live, table)
                .replaceFirst("CREATE TABLE `[^`]+`", "CREATE TABLE " + WordPressTables.quote(target).replace("$", "\\$"));
        WordPressTables.DeferredKeys keys = WordPressTables.deferSecondaryKeys(create);
        try (Statement st = staging.createStatement()) {
            st.execute(keys.createWithoutThem());
        }
        long[] counts = new long[3];
        PreparedStatement[] insert = new PreparedStatement[1];
        int[] guidColumn = {-1};
        int[] renameColumn = {-1};
        boolean autoCommit = staging.getAutoCommit();
        staging.setAutoCommit(false);
        try {
            WordPressTables.stream(live, table, columns -> {
                String names = columns.names().stream().map(WordPressTables::quote).collect(Collectors.joining(","));
                String marks = columns.names().stream().map(c -> "?").collect(Collectors.joining(","));
                try {
                    insert[0] = staging.prepareStatement("INSERT INTO " + WordPressTables.quote(target) + " (" + names + ") VALUES (" + marks + ")");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                // WordPress asks that GUIDs never change, even when the site moves
                if (keepGuid) guidColumn[0] = columns.names().indexOf("guid");
                if (keyColumn != null) renameColumn[0] = columns.names().indexOf(keyColumn.name());
            }, row -> {
                for (int i = 0; i < row.length; i++) {
                    Object value = row[i];
                    if (i == renameColumn[0] && value instanceof String key) {
                        String after = keyColumn.rename(key);
                        if (!after.equals(key)) {
                            counts[2]++;
                            value = after;
                        }
                    } else if (value instanceof String text && i != guidColumn[0]) {
                        String after = rewriter.rewrite(text);
                        if (after != text) {
                            counts[1]++;
                            value = after;
                        }
                    }
                    insert[0].setObject(i + 1, value);
                }
                insert[0].addBatch();
                if (++counts[0] % BATCH_ROWS == 0) insert[0].executeBatch();
            });
            if (insert[0] != null) {
                insert[0].executeBatch();
                insert[0].close();
            }
            staging.commit();
            // one sorted index build after the load is much faster than keeping the indexes up to date row by row
            if (keys.addThem() != null) {
                try (Statement st = staging.createStatement()) {
                    st.execute("ALTER TABLE " + WordPressTables.quote(target) + " " + keys.addThem());
                }
            }
        } finally {
            staging.setAutoCommit(autoCommit);
        }
        return counts;
    }

    /** Staging must never be indexed: WordPress's own switch, on top of the access guard. */
    private static void hideFromSearchEngines(Connection staging, String prefix) throws SQLException {
        try (PreparedStatement ps = staging.prepareStatement(
                "UPDATE " + WordPressTables.quote(prefix + "options") + " SET option_value = '0' WHERE option_name = 'blog_public'")) {
            ps.executeUpdate();
        }
    }
}
