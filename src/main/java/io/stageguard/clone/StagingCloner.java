package io.stageguard.clone;

import io.stageguard.site.DatabaseConnection;
import io.stageguard.site.Site;
import io.stageguard.site.WordPressTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
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
    private final CloneProperties properties;

    public StagingCloner(CloneProperties properties) {
        this.properties = properties;
    }

    public record FileReport(long files, long bytes, long millis) {
        public String summary() {
            return files + " files, " + bytes / 1024 + " KiB copied in " + millis + " ms";
        }
    }

    public record DatabaseReport(int tables, long rows, long valuesRewritten, long millis) {
        public String summary() {
            return tables + " tables, " + rows + " rows, " + valuesRewritten + " values rewritten in " + millis + " ms";
        }
    }

    public FileReport cloneFiles(Site site) throws IOException {
        long start = System.nanoTime();
        Path liveRoot = site.live().documentRoot();
        Path stagingRoot = site.staging().documentRoot();
        Path liveConfig = liveRoot.resolve("wp-config.php");
        if (!Files.isRegularFile(liveConfig)) {
            throw new IllegalStateException("live has no wp-config.php at " + liveConfig);
        }
        Set<Path> excluded = properties.exclude().stream().map(Path::of).collect(Collectors.toSet());
        excluded.add(Path.of("wp-config.php"));
        FileTreeCopier.emptyFolder(stagingRoot);
        FileTreeCopier.Copied copied = FileTreeCopier.copy(liveRoot, stagingRoot, excluded);
        String config = StagingConfigWriter.stagingConfig(Files.readString(liveConfig, StandardCharsets.UTF_8), site.staging());
        Files.writeString(stagingRoot.resolve("wp-config.php"), config, StandardCharsets.UTF_8);
        return new FileReport(copied.files() + 1, copied.bytes(), (System.nanoTime() - start) / 1_000_000);
    }

    public DatabaseReport cloneDatabase(Site site) throws SQLException {
        long start = System.nanoTime();
        DatabaseConnection liveDb = site.live().database();
        DatabaseConnection stagingDb = site.staging().database();
        UrlRewriter rewriter = new UrlRewriter(site.live().baseUrl(), site.staging().baseUrl());
        long rows = 0;
        long rewritten = 0;
        int tables = 0;
        try (Connection live = liveDb.open(); Connection staging = stagingDb.open()) {
            live.setReadOnly(true);
            WordPressTables.prepareForLoad(staging);
            for (String existing : WordPressTables.list(staging, stagingDb.tablePrefix())) {
                try (Statement st = staging.createStatement()) {
                    st.execute("DROP TABLE " + WordPressTables.quote(existing));
                }
            }
            for (String table : WordPressTables.list(live, liveDb.tablePrefix())) {
                String target = stagingDb.tablePrefix() + table.substring(liveDb.tablePrefix().length());
                long[] counts = copyTable(live, staging, table, target, rewriter, table.equals(liveDb.tablePrefix() + "posts"));
                rows += counts[0];
                rewritten += counts[1];
                tables++;
            }
            hideFromSearchEngines(staging, stagingDb.tablePrefix());
        }
        return new DatabaseReport(tables, rows, rewritten, (System.nanoTime() - start) / 1_000_000);
    }

    private long[] copyTable(Connection live, Connection staging, String table, String target, UrlRewriter rewriter,
                             boolean keepGuid) throws SQLException {
        String create = WordPressTables.createStatement(live, table)
                .replaceFirst("CREATE TABLE `[^`]+`", "CREATE TABLE " + WordPressTables.quote(target).replace("$", "\\$"));
        try (Statement st = staging.createStatement()) {
            st.execute(create);
        }
        long[] counts = new long[2];
        PreparedStatement[] insert = new PreparedStatement[1];
        int[] guidColumn = {-1};
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
            }, row -> {
                for (int i = 0; i < row.length; i++) {
                    Object value = row[i];
                    if (value instanceof String text && i != guidColumn[0]) {
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
