package io.stageguard.clone;

import io.stageguard.site.Site;
import io.stageguard.site.registry.NotStagingException;
import io.stageguard.site.registry.StagingDatabaseMark;
import io.stageguard.site.registry.StagingProof;
import io.stageguard.wordpress.WordPressTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Staging as it was right after the clone, before any change: kept so that the culprit search can
 * put staging back between its trials without cloning live again. A re-clone would read live once
 * per trial and could bring what live changed in the meantime into a trial judged against the
 * look taken before it; the snapshot is exactly the state the round's reference was taken of.
 *
 * <p>Files go to a folder beside staging's root (same file system, marked as this site's), rows to
 * tables named {@code sgsnap_<staging table>} in staging's database, copied by the server. Both are
 * replaced by the next snapshot and removed when the release ends. Every write is proven to aim at
 * staging first, as a clone's.
 */
@Component
public class StagingSnapshot {
    static final String TABLE_PREFIX = "sgsnap_";
    /** Names the release and round a snapshot belongs to, inside its folder. */
    private static final String LABEL = ".stageguard-snapshot";

    private final StagingProof proof;
    private final StagingCloner cloner;

    public StagingSnapshot(StagingProof proof, StagingCloner cloner) {
        this.proof = proof;
        this.cloner = cloner;
    }

    /** How much a snapshot or a restore moved. */
    public record Report(long files, int tables, long millis) {}

    /** Takes the snapshot of staging as it is now, for the given round; call on a fresh clone. */
    public Report take(Site site, String releaseId, int round) throws IOException {
        long start = System.nanoTime();
        proof.proveCloned(site);
        Path folder = folder(site);
        StagingCloner.removeOwnFolder(folder, site);
        FileTreeCopier.Copied copied = FileTreeCopier.copy(
                site.staging().documentRoot(), folder, Set.of(), FileTreeCopier.Links.REFUSE_LEAVING);
        int tables;
        try (Connection db = site.staging().database().open()) {
            proof.proveDatabase(site, db);
            WordPressTables.prepareForLoad(db);
            String stagingPrefix = site.staging().database().tablePrefix();
            List<String> stagingTables = stagingTables(db, stagingPrefix);
            requireRoomBesideLive(site, stagingTables);
            for (String old : WordPressTables.list(db, TABLE_PREFIX + stagingPrefix)) drop(db, old);
            for (String table : stagingTables) copyTable(db, table, TABLE_PREFIX + table);
            tables = stagingTables.size();
        } catch (SQLException e) {
            throw new IOException("could not take the snapshot of staging's database: " + e.getMessage(), e);
        }
        // labelled last: a snapshot cut short by a crash is never restored
        Files.writeString(folder.resolve(LABEL), label(releaseId, round), StandardCharsets.UTF_8);
        return new Report(copied.files(), tables, (System.nanoTime() - start) / 1_000_000);
    }

    /** Puts staging back to the snapshot of the given round: files swapped in whole, every staging table reloaded. */
    public Report restore(Site site, String releaseId, int round) throws IOException {
        long start = System.nanoTime();
        Path folder = folder(site);
        Path label = folder.resolve(LABEL);
        if (!Files.isRegularFile(label)
                || !Files.readString(label, StandardCharsets.UTF_8).equals(label(releaseId, round))) {
            throw new IllegalStateException(
                    "No snapshot of staging was taken for round " + round + " of release " + releaseId
                            + " (phase 2 takes it right after the clone, before any change); staging cannot be put back without one. Start the round again.");
        }
        Path stagingRoot = site.staging().documentRoot();
        Path next = StagingCloner.beside(stagingRoot, "next");
        proof.proveFolder(site);
        StagingCloner.removeOwnFolder(next, site);
        FileTreeCopier.Copied copied =
                FileTreeCopier.copy(folder, next, Set.of(Path.of(LABEL)), FileTreeCopier.Links.REFUSE_LEAVING);
        cloner.swapIn(site, next);
        int tables;
        try (Connection db = site.staging().database().open()) {
            proof.proveDatabase(site, db);
            WordPressTables.prepareForLoad(db);
            String stagingPrefix = site.staging().database().tablePrefix();
            for (String table : stagingTables(db, stagingPrefix)) drop(db, table);
            List<String> saved = WordPressTables.list(db, TABLE_PREFIX + stagingPrefix);
            for (String snapshot : saved) copyTable(db, snapshot, snapshot.substring(TABLE_PREFIX.length()));
            tables = saved.size();
        } catch (SQLException e) {
            throw new IOException("could not put staging's database back to the snapshot: " + e.getMessage(), e);
        }
        return new Report(copied.files(), tables, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Removes the snapshot a release took, once the release has ended (nothing tries on staging
     * after that); a snapshot of another release is left alone.
     */
    public void discard(Site site, String releaseId) throws IOException {
        Path folder = folder(site);
        Path label = folder.resolve(LABEL);
        if (!Files.isRegularFile(label)
                || !Files.readString(label, StandardCharsets.UTF_8).startsWith("release=" + releaseId + "\n")) return;
        // the tables first: a folder without its label is never restored, tables without their folder would linger
        // unseen
        try (Connection db = site.staging().database().open()) {
            proof.proveDatabase(site, db);
            for (String table : WordPressTables.list(
                    db, TABLE_PREFIX + site.staging().database().tablePrefix())) drop(db, table);
        } catch (SQLException e) {
            throw new IOException("could not drop the snapshot's tables: " + e.getMessage(), e);
        }
        StagingCloner.removeOwnFolder(folder, site);
    }

    private static Path folder(Site site) {
        return StagingCloner.beside(site.staging().documentRoot(), "snapshot");
    }

    private static String label(String releaseId, int round) {
        return "release=" + releaseId + "\nround=" + round + "\n";
    }

    /**
     * Staging's own tables: those with its prefix, but never a snapshot (a prefix like "s" would match
     * both) nor staging's mark (it stays through every restore).
     */
    private static List<String> stagingTables(Connection db, String prefix) throws SQLException {
        return WordPressTables.list(db, prefix).stream()
                .filter(t -> !t.startsWith(TABLE_PREFIX) && !StagingDatabaseMark.isMark(t, prefix))
                .toList();
    }

    /**
     * Where staging shares live's database (another prefix), the snapshot's tables sit there too;
     * their names must not look like live's tables.
     */
    private void requireRoomBesideLive(Site site, List<String> stagingTables) {
        String livePrefix = site.live().database().tablePrefix();
        if (!proof.sharesLiveDatabase(site)) return;
        for (String table : stagingTables) {
            if ((TABLE_PREFIX + table).startsWith(livePrefix)) {
                throw new NotStagingException(Map.of(
                        "staging.database.tablePrefix",
                        "a snapshot table " + TABLE_PREFIX + table + " would carry live's table prefix '" + livePrefix
                                + "' in live's database; give live or staging another prefix"));
            }
        }
    }

    /** Copies a table into a new one; the callers have dropped what stood under that name. */
    private static void copyTable(Connection db, String from, String to) throws SQLException {
        if (to.length() > 64) throw new SQLException("the table name " + to + " is longer than MariaDB allows (64)");
        try (Statement st = db.createStatement()) {
            st.execute("CREATE TABLE " + WordPressTables.quote(to) + " LIKE " + WordPressTables.quote(from));
            st.execute("INSERT INTO " + WordPressTables.quote(to) + " SELECT * FROM " + WordPressTables.quote(from));
        }
    }

    private static void drop(Connection db, String table) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute("DROP TABLE " + WordPressTables.quote(table));
        }
    }
}
