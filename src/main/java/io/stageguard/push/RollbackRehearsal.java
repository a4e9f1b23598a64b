package io.stageguard.push;

import io.stageguard.StageguardProperties;
import io.stageguard.clone.FileTreeCopier;
import io.stageguard.rollback.DatabaseDump;
import io.stageguard.rollback.LiveBackup;
import io.stageguard.site.Site;
import io.stageguard.site.registry.StagingProof;
import io.stageguard.support.Sha256;
import io.stageguard.wordpress.WordPressTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;

/**
 * "Validate rollback readiness", done rather than assumed: before the first write to live, the
 * verified backup is restored into scratch places and compared with live as it was backed up.
 * Files: each backed-up folder is copied into Stageguard's data folder and must hash like live's
 * folder (nothing has written to live since). Database: the dump is replayed into staging's
 * database under a scratch prefix (only where staging has a database of its own, proven to be
 * staging) and each table must hold exactly the rows the backup recorded while dumping. How long
 * the restore part took is the rollback time to expect. Scratch tables and folders are removed
 * afterwards; live is only read.
 */
@Component
public class RollbackRehearsal {
    private final LiveBackup backup;
    private final StagingProof proof;
    private final StageguardProperties app;

    public RollbackRehearsal(LiveBackup backup, StagingProof proof, StageguardProperties app) {
        this.backup = backup;
        this.proof = proof;
        this.app = app;
    }

    /**
     * @param restoreMillis what putting the backup back took in the rehearsal: the rollback time to expect
     * @param problems      where the rehearsed restore differs from live as backed up; empty when it restores identically
     */
    public record Result(long restoreMillis, List<String> problems, List<String> notes) {
        public String summary() {
            return (problems.isEmpty()
                            ? "the backup restores identically"
                            : "the backup does NOT restore identically: " + String.join("; ", problems))
                    + "; restore took " + restoreMillis + " ms in the rehearsal"
                    + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")");
        }
    }

    public Result rehearse(String releaseId, Site site) throws IOException, SQLException {
        Path backupDir = backup.directoryOf(releaseId);
        Path scratch = app.dataDir().resolve("rehearsals").resolve(releaseId);
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        long restoreNanos = 0;
        FileTreeCopier.deleteTree(scratch);
        Files.createDirectories(scratch);
        try {
            for (String line : Files.readAllLines(backupDir.resolve("touched.txt"), StandardCharsets.UTF_8)) {
                String[] parts = line.split(" ", 2);
                if (!parts[0].equals("present")) continue;
                Path restored = scratch.resolve("files").resolve(parts[1]);
                long t0 = System.nanoTime();
                FileTreeCopier.copyFileOrTree(backupDir.resolve("files").resolve(parts[1]), restored);
                restoreNanos += System.nanoTime() - t0;
                if (!Sha256.ofTree(restored)
                        .equals(Sha256.ofTree(site.live().documentRoot().resolve(parts[1])))) {
                    problems.add(parts[1] + ": the backed-up files differ from live's");
                }
            }
            if (proof.sharesLiveDatabase(site)) {
                notes.add(
                        "the database was not replayed: staging shares live's database, so there is no place for scratch tables apart from live's;"
                                + " the dump was checked against its checksums only");
            } else {
                restoreNanos += rehearseDatabase(releaseId, site, backupDir, scratch, problems);
            }
        } finally {
            FileTreeCopier.deleteTree(scratch);
        }
        return new Result(restoreNanos / 1_000_000, problems, notes);
    }

    private long rehearseDatabase(String releaseId, Site site, Path backupDir, Path scratch, List<String> problems)
            throws IOException, SQLException {
        // 48 random bits: two rehearsals (or a leftover of a crashed one) never share a prefix, as 8 bits could (review
        // 954a1fc, L7)
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        String scratchPrefix = "sgrehearsal" + HexFormat.of().formatHex(random) + "_";
        Map<String, DatabaseDump.DumpedTable> recorded = backup.recordedTables(releaseId);
        try (Connection c = site.staging().database().open()) {
            proof.proveDatabase(site, c);
            try {
                long t0 = System.nanoTime();
                DatabaseDump.restoreAs(
                        c,
                        backupDir.resolve("database.sql"),
                        site.live().database().tablePrefix(),
                        scratchPrefix);
                long took = System.nanoTime() - t0;
                Map<String, DatabaseDump.DumpedTable> restored = DatabaseDump.write(
                        c, scratchPrefix, WordPressTables.list(c, scratchPrefix), scratch.resolve("rehearsed.sql"));
                recorded.forEach((table, dumped) -> {
                    DatabaseDump.DumpedTable again = restored.get(table);
                    DatabaseDump.TableDigest backedUp = dumped.content();
                    if (again == null) problems.add("table " + table + ": missing after the restore");
                    else if (!again.content().equals(backedUp))
                        problems.add("table " + table + ": " + again.content().rows() + " rows restored, "
                                + backedUp.rows() + " backed up"
                                + (again.content().rows() == backedUp.rows() ? " (same count, other content)" : ""));
                });
                restored.keySet().stream()
                        .filter(t -> !recorded.containsKey(t))
                        .forEach(t -> problems.add("table " + t + ": restored but not backed up"));
                return took;
            } finally {
                try (Statement st = c.createStatement()) {
                    for (String table : WordPressTables.list(c, scratchPrefix))
                        st.execute("DROP TABLE " + WordPressTables.quote(table));
                }
            }
        }
    }
}
