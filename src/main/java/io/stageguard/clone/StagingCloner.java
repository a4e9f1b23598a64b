package io.stageguard.clone;

import io.stageguard.site.DatabaseConnection;
import io.stageguard.site.Site;
import io.stageguard.site.registry.NotStagingException;
import io.stageguard.site.registry.StagingDatabaseMark;
import io.stageguard.site.registry.StagingProof;
import io.stageguard.support.StepProgress;
import io.stageguard.support.WritePoints;
import io.stageguard.wordpress.SiteCodeSandbox;
import io.stageguard.wordpress.WordPressPhp;
import io.stageguard.wordpress.WordPressTables;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
    private final StagingProof proof;
    private final WordPressPhp php;

    public StagingCloner(CloneProperties properties, StagingProof proof, WordPressPhp php) {
        this.properties = properties;
        this.proof = proof;
        this.php = php;
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
    public record DatabaseReport(
            int tables, long rows, long valuesRewritten, long keysRenamed, Map<String, Long> sanitized, long millis) {
        public String summary() {
            return tables + " tables, " + rows + " rows, " + valuesRewritten + " values rewritten, " + keysRenamed
                    + " prefixed keys renamed, "
                    + sanitized.values().stream().mapToLong(Long::longValue).sum()
                    + " personal values replaced in " + millis + " ms";
        }
    }

    /**
     * Copies live's files into staging, gives staging its own wp-config.php and installs the staging
     * guard, which admits only requests carrying the credential whose SHA-256 is {@code accessSha256}.
     *
     * <p>The copy is built in a folder beside staging's root and swapped in only once it is complete,
     * configured, guarded and checked: a web server pointed at staging never serves a half-copied
     * site, live's wp-config.php, or WordPress's setup screen. Before anything is removed, staging is
     * proven to be staging ({@link StagingProof}). A retry after a crash finds the half-built folder
     * by its marker and starts it again.
     */
    public FileReport cloneFiles(Site site, String accessSha256) throws IOException {
        long start = System.nanoTime();
        Path liveRoot = site.live().documentRoot();
        Path stagingRoot = site.staging().documentRoot();
        Path liveConfig = liveRoot.resolve("wp-config.php");
        if (!Files.isRegularFile(liveConfig)) {
            throw new IllegalStateException("live has no wp-config.php at " + liveConfig);
        }
        proof.proveFolder(site);
        Path next = beside(stagingRoot, "next");
        removeOwnFolder(next, site);
        Files.createDirectories(next);
        StagingProof.mark(next, site);

        Set<Path> excluded = properties.exclude().stream().map(Path::of).collect(Collectors.toSet());
        excluded.add(Path.of("wp-config.php"));
        excluded.add(Path.of("robots.txt"));
        excluded.add(Path.of(StagingProof.MARKER));
        excluded.add(GUARD);
        StepProgress.start("files copied", -1);
        FileTreeCopier.Copied copied = FileTreeCopier.copy(liveRoot, next, excluded, properties.symlinks());
        if (properties.symlinks() == FileTreeCopier.Links.REFUSE_LEAVING
                && !copied.linksLeavingTree().isEmpty()) {
            FileTreeCopier.deleteTree(next);
            throw new IllegalStateException(
                    "Live's files hold symbolic links that point outside live's document root; staging writing "
                            + "through them would write into live's (or a shared) folder, so the clone stopped and staging is unchanged: "
                            + copied.linksLeavingTree().stream()
                                    .limit(10)
                                    .map(Path::toString)
                                    .collect(Collectors.joining(", "))
                            + (copied.linksLeavingTree().size() > 10
                                    ? " and " + (copied.linksLeavingTree().size() - 10) + " more"
                                    : "")
                            + ". Replace them with real folders on live, or set stageguard.clone.symlinks=copy-leaving to copy what they point at.");
        }
        String config = StagingConfigWriter.stagingConfig(
                Files.readString(liveConfig, StandardCharsets.UTF_8),
                site.staging(),
                accessSha256,
                properties.stagingCron(),
                properties.allowOutgoingHttp());
        Files.writeString(next.resolve("wp-config.php"), config, StandardCharsets.UTF_8);
        // a robots.txt file is served by the web server before WordPress (and the guard) could answer
        Files.writeString(next.resolve("robots.txt"), "User-agent: *\nDisallow: /\n", StandardCharsets.UTF_8);
        Path guard = next.resolve(GUARD);
        Files.createDirectories(guard.getParent());
        try (InputStream in = StagingCloner.class.getResourceAsStream("/staging/stageguard-staging.php")) {
            Files.copy(
                    Objects.requireNonNull(in, "staging guard missing from the classpath"),
                    guard,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        // staging's code (the clone's and the release's) runs as the sandbox's user: it may write staging and nothing
        // of Stageguard's.
        // The PHP log is made here so that it is that user's too, whichever PHP (a web server's, the sandboxed CLI)
        // writes first
        Path log = next.resolve("wp-content/debug.log");
        if (Files.isDirectory(log.getParent()) && !Files.exists(log, LinkOption.NOFOLLOW_LINKS)) Files.createFile(log);
        SiteCodeSandbox.handOver(next);
        Map<String, String> leaks = StagingConfigCheck.mismatches(php, next, site.staging(), accessSha256);
        if (!leaks.isEmpty()) {
            FileTreeCopier.deleteTree(next);
            throw new NotStagingException(leaks.entrySet().stream()
                    .collect(Collectors.toMap(
                            e -> "staging wp-config.php " + e.getKey(),
                            Map.Entry::getValue,
                            (a, b) -> a,
                            LinkedHashMap::new)));
        }
        WritePoints.reached(WritePoints.CLONE_FILES_BEFORE_SWAP, stagingRoot);
        swapIn(site, next);
        return new FileReport(copied.files() + 4, copied.bytes(), (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Swaps a complete staging tree built in {@code next} (a working folder beside staging's root)
     * in for staging's root in two renames, so a web server pointed at staging never serves a half
     * copy; staging is proven to be staging right before, as the folder may have been re-pointed
     * while the tree was built.
     */
    void swapIn(Site site, Path next) throws IOException {
        Path stagingRoot = site.staging().documentRoot();
        Path previous = beside(stagingRoot, "previous");
        proof.proveFolder(site);
        removeOwnFolder(previous, site);
        if (Files.exists(stagingRoot, LinkOption.NOFOLLOW_LINKS))
            Files.move(stagingRoot, previous, StandardCopyOption.ATOMIC_MOVE);
        Files.move(next, stagingRoot, StandardCopyOption.ATOMIC_MOVE);
        removeOwnFolder(previous, site);
    }

    private static boolean isEmpty(Path folder) throws IOException {
        try (Stream<Path> children = Files.list(folder)) {
            return children.findAny().isEmpty();
        }
    }

    /** A working folder next to staging's root, named after it, so it lives on the same file system (renames stay atomic). */
    static Path beside(Path stagingRoot, String role) {
        return stagingRoot.resolveSibling("." + stagingRoot.getFileName() + ".stageguard-" + role);
    }

    /** Removes a working folder (or the staging root swapped out), but only an empty one or one that carries this site's marker. */
    static void removeOwnFolder(Path folder, Site site) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) return;
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
                || !(StagingProof.carriesMarker(folder, site) || isEmpty(folder))) {
            throw new NotStagingException(Map.of(
                    "staging.documentRoot",
                    folder + " is in the way of staging's working folder and was not made " + "by Stageguard for site '"
                            + site.id() + "'; move it away"));
        }
        FileTreeCopier.deleteTree(folder);
    }

    public DatabaseReport cloneDatabase(Site site) throws SQLException {
        long start = System.nanoTime();
        DatabaseConnection liveDb = site.live().database();
        DatabaseConnection stagingDb = site.staging().database();
        UrlRewriter rewriter =
                new UrlRewriter(site.live().baseUrl(), site.staging().baseUrl());
        PrefixedKeys keys = new PrefixedKeys(liveDb.tablePrefix(), stagingDb.tablePrefix());
        long rows = 0;
        long rewritten = 0;
        long renamed = 0;
        List<String> copied = new ArrayList<>();
        Map<String, Long> sanitized;
        try (Connection live = liveDb.open();
                Connection staging = stagingDb.open()) {
            proof.proveDatabase(site, staging);
            live.setReadOnly(true);
            WordPressTables.prepareForLoad(staging);
            for (String existing : WordPressTables.list(staging, stagingDb.tablePrefix())) {
                if (StagingDatabaseMark.isMark(existing, stagingDb.tablePrefix())) continue;
                try (Statement st = staging.createStatement()) {
                    st.execute("DROP TABLE " + WordPressTables.quote(existing));
                }
            }
            // a live that was itself once a staging copy carries a mark: it is Stageguard's bookkeeping, not the site's
            List<String> tables = WordPressTables.list(live, liveDb.tablePrefix()).stream()
                    .filter(t -> !StagingDatabaseMark.isMark(t, liveDb.tablePrefix()))
                    .toList();
            StepProgress progress = StepProgress.start("tables copied", tables.size());
            for (String table : tables) {
                progress.advance();
                String unprefixed = table.substring(liveDb.tablePrefix().length());
                String target = stagingDb.tablePrefix() + unprefixed;
                long[] counts = copyTable(
                        live, staging, table, target, rewriter, keys.forTable(unprefixed), unprefixed.equals("posts"));
                rows += counts[0];
                rewritten += counts[1];
                renamed += counts[2];
                copied.add(target);
                WritePoints.reached(
                        WritePoints.CLONE_DATABASE_HALF_COPIED, site.staging().documentRoot());
            }
            sanitized = DataSanitizer.sanitize(staging, stagingDb.tablePrefix(), copied, properties.sanitizeRules());
            hideFromSearchEngines(staging, stagingDb.tablePrefix());
        }
        return new DatabaseReport(
                copied.size(), rows, rewritten, renamed, sanitized, (System.nanoTime() - start) / 1_000_000);
    }

    /** Copies one table row by row; returns rows copied, values rewritten and keys renamed. */
    private long[] copyTable(
            Connection live,
            Connection staging,
            String table,
            String target,
            UrlRewriter rewriter,
            PrefixedKeys.Column keyColumn,
            boolean keepGuid)
            throws SQLException {
        String create = WordPressTables.createStatement(live, table)
                .replaceFirst(
                        "CREATE TABLE `[^`]+`",
                        "CREATE TABLE " + WordPressTables.quote(target).replace("$", "\\$"));
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
            WordPressTables.stream(
                    live,
                    table,
                    columns -> {
                        String names = columns.names().stream()
                                .map(WordPressTables::quote)
                                .collect(Collectors.joining(","));
                        String marks = columns.names().stream().map(c -> "?").collect(Collectors.joining(","));
                        try {
                            insert[0] = staging.prepareStatement("INSERT INTO " + WordPressTables.quote(target) + " ("
                                    + names + ") VALUES (" + marks + ")");
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                        // WordPress asks that GUIDs never change, even when the site moves
                        if (keepGuid) guidColumn[0] = columns.names().indexOf("guid");
                        if (keyColumn != null) renameColumn[0] = columns.names().indexOf(keyColumn.name());
                    },
                    row -> {
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
        try (PreparedStatement ps = staging.prepareStatement("UPDATE " + WordPressTables.quote(prefix + "options")
                + " SET option_value = '0' WHERE option_name = 'blog_public'")) {
            ps.executeUpdate();
        }
    }
}
