package io.stageguard.rollback;

import io.stageguard.StageguardProperties;
import io.stageguard.clone.FileTreeCopier;
import io.stageguard.site.Site;
import io.stageguard.site.registry.KnownSites;
import io.stageguard.site.registry.SiteTables;
import io.stageguard.support.Sha256;
import io.stageguard.support.WritePoints;
import io.stageguard.update.FolderSwap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Phases 5 and 6: the pre-deploy backup of everything a deploy can change (the folders of the
 * changed plugins and themes, and always {@code wp-config.php}, {@code .htaccess}, the
 * {@code mu-plugins} folder and the drop-ins, and the site's tables), its checksum verification,
 * and the restore that keeps what live wrote since.
 *
 * <p>Layout of a backup folder: {@code files/<path>} for each path that existed,
 * {@code touched.txt} listing every path the backup covers ({@code present} or {@code absent}),
 * {@code database.sql} (one consistent snapshot), {@code tables.txt} (each table's rows, digest,
 * integer key and its highest value as dumped), and {@code SHA256SUMS} over all of them.
 */
@Component
public class LiveBackup {
    private final JdbcTemplate jdbc;
    private final StageguardProperties properties;
    private final KnownSites sites;
    private final DeployMarks marks;

    /** What a deploy can change besides its packages' folders, relative to wp-content: always backed up and restored. */
    private static final List<String> IN_WP_CONTENT =
            List.of("mu-plugins", "advanced-cache.php", "object-cache.php", "db.php");
    /** The same, relative to the document root. */
    private static final List<String> IN_ROOT = List.of("wp-config.php", ".htaccess");

    public LiveBackup(JdbcTemplate jdbc, StageguardProperties properties, KnownSites sites, DeployMarks marks) {
        this.sites = sites;
        this.marks = marks;
        this.jdbc = jdbc;
        this.properties = properties;
    }

    public record Summary(Path directory, int folders, int tables, String checksumsSha256) {}

    /**
     * Takes the backup afresh (a retry before the deploy began replaces it, so it is never older
     * than the push) and records it as unverified. Once the deploy has begun the backup is never
     * replaced: a second one would hold a half-deployed live.
     */
    public Summary create(String releaseId, Site site, List<String> touchedFolders) throws IOException, SQLException {
        Path dir = directoryOf(releaseId);
        if (marks.deployStarted(releaseId)) {
            String sums = Files.readString(dir.resolve("SHA256SUMS"), StandardCharsets.UTF_8);
            return new Summary(
                    dir, touchedFolders.size(), recordedTables(releaseId).size(), Sha256.of(sums));
        }
        FileTreeCopier.deleteTree(dir);
        ownerOnly(Files.createDirectories(properties.backupsDir()));
        ownerOnly(Files.createDirectories(dir));
        backupFiles(dir, site.live().documentRoot(), scope(site, touchedFolders));
        Map<String, DatabaseDump.DumpedTable> digests;
        try (Connection c = site.live().database().open();
                Statement st = c.createStatement()) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            // every table as of one moment, while visitors keep writing
            st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
            digests = DatabaseDump.write(
                    c,
                    site.live().database().tablePrefix(),
                    SiteTables.of(c, site.live().database(), sites),
                    dir.resolve("database.sql"));
            c.commit();
        }
        int tables = digests.size();
        StringBuilder tableList = new StringBuilder();
        digests.forEach((table, dumped) ->
                tableList.append(table).append(' ').append(dumped.line()).append('\n'));
        Files.writeString(dir.resolve("tables.txt"), tableList, StandardCharsets.UTF_8);
        String sums = checksums(dir);
        Files.writeString(dir.resolve("SHA256SUMS"), sums, StandardCharsets.UTF_8);
        String sumsSha = Sha256.of(sums);
        jdbc.update("delete from sg_backup where release_id = ?", releaseId);
        jdbc.update(
                "insert into sg_backup (release_id, directory, checksums_sha256, created_at) values (?, ?, ?, ?)",
                releaseId,
                dir.toString(),
                sumsSha,
                Timestamp.from(Instant.now()));
        return new Summary(dir, touchedFolders.size(), tables, sumsSha);
    }

    /** Recomputes every checksum; returns the problems found (empty when the backup is intact) and marks it verified. */
    public List<String> verify(String releaseId) throws IOException {
        List<String> problems = new ArrayList<>();
        var rows =
                jdbc.queryForList("select directory, checksums_sha256 from sg_backup where release_id = ?", releaseId);
        if (rows.isEmpty()) return List.of("no backup recorded for release " + releaseId);
        Path dir = Path.of((String) rows.get(0).get("directory"));
        Path sumsFile = dir.resolve("SHA256SUMS");
        if (!Files.isRegularFile(sumsFile)) return List.of("backup has no SHA256SUMS at " + sumsFile);
        String recorded = Files.readString(sumsFile, StandardCharsets.UTF_8);
        if (!Sha256.of(recorded).equals(rows.get(0).get("checksums_sha256"))) {
            problems.add("SHA256SUMS was altered after the backup was taken");
        }
        String actual = checksums(dir);
        if (!actual.equals(recorded)) {
            problems.add("backup files differ from their checksums");
        }
        if (!recorded.contains("  database.sql\n") || Files.size(dir.resolve("database.sql")) == 0) {
            problems.add("backup holds no database dump");
        }
        if (problems.isEmpty()) {
            jdbc.update(
                    "update sg_backup set verified_at = ?, bytes = ? where release_id = ?",
                    Timestamp.from(Instant.now()),
                    size(dir),
                    releaseId);
        }
        return problems;
    }

    /** The folders the deploy touches that did not exist on live before it: what the release adds. */
    public Set<String> absentBeforeDeploy(String releaseId) throws IOException {
        Set<String> absent = new HashSet<>();
        for (String line : Files.readAllLines(directoryOf(releaseId).resolve("touched.txt"), StandardCharsets.UTF_8)) {
            if (line.startsWith("absent ")) absent.add(line.substring("absent ".length()));
        }
        return absent;
    }

    public boolean isVerified(String releaseId) {
        Integer n = jdbc.queryForObject(
                "select count(*) from sg_backup where release_id = ? and verified_at is not null",
                Integer.class,
                releaseId);
        return n != null && n > 0;
    }

    /**
     * Puts live back as it was before the deploy, keeping what visitors wrote since: every path the
     * backup covers that differs is swapped back in one step (paths the deploy added are removed),
     * and the database is rolled back by {@link DatabaseRollback}. Returns the report, line by line.
     */
    public List<String> restore(String releaseId, Site site) throws IOException, SQLException {
        List<String> problems = verify(releaseId);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("backup of release " + releaseId + " failed verification, not restoring: "
                    + String.join("; ", problems));
        }
        if (!marks.deployStarted(releaseId)) {
            // nothing was written to live: putting the backup back could only undo what live's people did since
            return List.of("the deploy never began, so live was not changed: nothing was restored");
        }
        Path dir = directoryOf(releaseId);
        List<String> done = new ArrayList<>(restoreFiles(dir, site.live().documentRoot()));
        try (Connection c = site.live().database().open()) {
            DatabaseRollback.Report report = DatabaseRollback.rollback(
                    c,
                    dir.resolve("database.sql"),
                    site.live().database().tablePrefix(),
                    recordedTables(releaseId),
                    SiteTables.of(c, site.live().database(), sites),
                    marks.of(releaseId),
                    copyHead(releaseId));
            report.preRollback()
                    .forEach((table, copy) -> jdbc.update(
                            "merge into sg_rollback_copy (release_id, copy_name, table_name, created_at, dropped_at) "
                                    + "key (release_id, copy_name) values (?, ?, ?, ?, null)",
                            releaseId,
                            copy,
                            table,
                            Timestamp.from(Instant.now())));
            done.addAll(report.lines());
        }
        jdbc.update(
                "update sg_backup set restored_at = ? where release_id = ?", Timestamp.from(Instant.now()), releaseId);
        return done;
    }

    /** How the names of the tables a rollback of this release kept as they were before it start: its own, beside the site's. */
    static String copyHead(String releaseId) {
        return "sgpre" + Sha256.of(releaseId).substring(0, 8) + "_";
    }

    /**
     * The files part of a backup: each of {@code paths} (relative to the document root) copied to
     * {@code files/} in {@code dir} when it exists, and listed in {@code touched.txt} as present or absent.
     */
    public static void backupFiles(Path dir, Path documentRoot, List<String> paths) throws IOException {
        Files.createDirectories(dir.resolve("files"));
        StringBuilder touched = new StringBuilder();
        for (String path : paths) {
            Path relative = Path.of(path).normalize();
            if (relative.isAbsolute()
                    || relative.startsWith("..")
                    || relative.toString().isEmpty()) {
                throw new IllegalArgumentException("not a path below the document root: " + path);
            }
            Path live = documentRoot.resolve(path);
            if (Files.exists(live, LinkOption.NOFOLLOW_LINKS)) {
                FileTreeCopier.copyFileOrTree(live, dir.resolve("files").resolve(path));
                touched.append("present ").append(path).append('\n');
            } else {
                touched.append("absent ").append(path).append('\n');
            }
        }
        Files.writeString(dir.resolve("touched.txt"), touched, StandardCharsets.UTF_8);
    }

    /**
     * The files part of a restore: every path the backup in {@code dir} covers that differs from
     * live is built beside it and swapped back in one step; paths the deploy added are removed.
     */
    public static List<String> restoreFiles(Path dir, Path documentRoot) throws IOException {
        List<String> done = new ArrayList<>();
        int unchanged = 0;
        for (String line : Files.readAllLines(dir.resolve("touched.txt"), StandardCharsets.UTF_8)) {
            String[] parts = line.split(" ", 2);
            Path live = documentRoot.resolve(parts[1]);
            Path backedUp = dir.resolve("files").resolve(parts[1]);
            // built completely beside the live path and swapped in, as the deploy does: never a moment without it;
            // what a restore interrupted after its swap left beside goes first
            Path beside = live.resolveSibling(".stageguard-restore-" + live.getFileName());
            FileTreeCopier.deleteTree(beside);
            if (Sha256.ofTree(live).equals(parts[0].equals("present") ? Sha256.ofTree(backedUp) : "absent")) {
                unchanged++;
                continue;
            }
            if (parts[0].equals("present")) {
                FileTreeCopier.copyFileOrTree(backedUp, beside);
                FolderSwap.swap(beside, live);
                WritePoints.reached(WritePoints.RESTORE_FILES_SWAPPED, live);
                done.add("restored " + parts[1] + " (swapped back in one step)");
            } else {
                Files.move(live, beside, StandardCopyOption.ATOMIC_MOVE);
                WritePoints.reached(WritePoints.RESTORE_FILES_SWAPPED, live);
                done.add("removed " + parts[1] + " (absent before the deploy)");
            }
            FileTreeCopier.deleteTree(beside);
        }
        if (unchanged > 0)
            done.add("left " + unchanged + " backed-up path(s) that the deploy did not change as they were");
        return done;
    }

    /** The packages' folders, then what any deploy can change, each once, relative to the document root. */
    private static List<String> scope(Site site, List<String> touchedFolders) {
        Set<String> paths = new java.util.LinkedHashSet<>(touchedFolders);
        Path root = site.live().documentRoot();
        // a wp-content moved out of the document root is not backed up by its path from the root
        if (site.live().wpContent().normalize().startsWith(root.normalize())) {
            for (String item : IN_WP_CONTENT)
                paths.add(root.relativize(site.live().wpContent().resolve(item)).toString());
        }
        paths.addAll(IN_ROOT);
        return List.copyOf(paths);
    }

    /** One backup as listed for its site: when it was taken, verified, restored, or removed by retention. */
    public record Listed(
            String releaseId,
            Instant createdAt,
            Instant verifiedAt,
            Instant restoredAt,
            Instant removedAt,
            long bytes) {}

    /**
     * The site's backups, newest first. Sizes are the ones counted at verification (release pages
     * list backups at every view; walking each backup's files each time grew with every release);
     * a backup not verified yet is counted now, one retention removed holds nothing.
     */
    public List<Listed> list(String siteId) {
        return jdbc.query(
                "select b.release_id, b.directory, b.created_at, b.verified_at, b.restored_at, b.removed_at, b.bytes from sg_backup b "
                        + "join sg_release r on r.id = b.release_id where r.site_id = ? order by b.created_at desc",
                (rs, i) -> {
                    Instant removedAt = instant(rs.getTimestamp(6));
                    long counted = rs.getLong(7);
                    long bytes = removedAt != null ? 0 : rs.wasNull() ? size(Path.of(rs.getString(2))) : counted;
                    return new Listed(
                            rs.getString(1),
                            instant(rs.getTimestamp(3)),
                            instant(rs.getTimestamp(4)),
                            instant(rs.getTimestamp(5)),
                            removedAt,
                            bytes);
                },
                siteId);
    }

    /**
     * Removes the files of backups older than {@code before} whose release is no longer running;
     * the record stays. A running release's backup is its restore path and is never removed.
     */
    public List<String> removeExpired(Instant before, Predicate<String> stillRunning) throws IOException {
        List<String> removed = new ArrayList<>();
        for (String releaseId : jdbc.queryForList(
                "select release_id from sg_backup where removed_at is null and created_at < ?",
                String.class,
                Timestamp.from(before))) {
            if (stillRunning.test(releaseId)) continue;
            // the folder is derived from the release id, below backups/: a stored path is never what gets deleted
            FileTreeCopier.deleteTree(directoryOf(releaseId));
            jdbc.update(
                    "update sg_backup set removed_at = ? where release_id = ?",
                    Timestamp.from(Instant.now()),
                    releaseId);
            dropRollbackCopies(releaseId);
            removed.add(releaseId);
        }
        return removed;
    }

    /**
     * The tables a rollback of the release kept as they were before it go with its backup. Only
     * names this release's rollback made are dropped; a site that is gone or unreachable keeps
     * them, and the next retention run tries again.
     */
    private void dropRollbackCopies(String releaseId) {
        List<String> copies = jdbc.queryForList(
                "select copy_name from sg_rollback_copy where release_id = ? and dropped_at is null",
                String.class,
                releaseId);
        if (copies.isEmpty()) return;
        String siteId = jdbc.queryForObject("select site_id from sg_release where id = ?", String.class, releaseId);
        Site site = sites.all().stream()
                .filter(s -> s.id().equals(siteId))
                .findFirst()
                .orElse(null);
        if (site == null) return;
        try (Connection c = site.live().database().open();
                Statement st = c.createStatement()) {
            for (String copy : copies) {
                if (!copy.startsWith(copyHead(releaseId))) continue;
                st.execute("DROP TABLE IF EXISTS " + io.stageguard.wordpress.WordPressTables.quote(copy));
                jdbc.update(
                        "update sg_rollback_copy set dropped_at = ? where release_id = ? and copy_name = ?",
                        Timestamp.from(Instant.now()),
                        releaseId,
                        copy);
            }
        } catch (SQLException e) {
            org.slf4j.LoggerFactory.getLogger(LiveBackup.class)
                    .warn(
                            "Could not drop the tables release {}'s rollback kept on live ({}); retrying at the next retention run",
                            releaseId,
                            e.getMessage());
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static long size(Path dir) {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /** A backup holds live's database: only Stageguard's own user may read it. */
    private static Path ownerOnly(Path dir) throws IOException {
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        return dir;
    }

    /** What the backup recorded of each table when it was taken, by name without the prefix. */
    public Map<String, DatabaseDump.DumpedTable> recordedTables(String releaseId) throws IOException {
        Map<String, DatabaseDump.DumpedTable> tables = new TreeMap<>();
        for (String line : Files.readAllLines(directoryOf(releaseId).resolve("tables.txt"), StandardCharsets.UTF_8)) {
            int space = line.indexOf(' ');
            if (space > 0)
                tables.put(line.substring(0, space), DatabaseDump.DumpedTable.parse(line.substring(space + 1)));
        }
        return tables;
    }

    /** The backup's folder: {@code files/}, {@code touched.txt}, {@code database.sql}, {@code tables.txt}, {@code SHA256SUMS}. */
    public Path directoryOf(String releaseId) {
        return properties.backupsDir().resolve(releaseId);
    }

    private static String checksums(Path dir) throws IOException {
        TreeMap<String, String> sums = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .toList()) {
                String rel = dir.relativize(f).toString();
                if (!rel.equals("SHA256SUMS")) sums.put(rel, Sha256.of(f));
            }
        }
        StringBuilder out = new StringBuilder();
        sums.forEach((file, sha) -> out.append(sha).append("  ").append(file).append('\n'));
        return out.toString();
    }
}
