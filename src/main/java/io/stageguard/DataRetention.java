package io.stageguard;

import io.stageguard.clone.FileTreeCopier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the data folder keeps, and for how long (review 954a1fc, M10): without it every release
 * added reports with pages of staging, rehearsal scratch, downloaded and built packages and git
 * copies for ever. Backups have their own retention ({@code stageguard.backups.retention}).
 *
 * <ul>
 *   <li>{@code reports/<release>}: kept for {@code stageguard.retention.reports} (180 days, as long as
 *       the engine's history) after its last round wrote to it;</li>
 *   <li>{@code rehearsals/<release>}: scratch a push removes itself; what a crash left goes once its
 *       release is no longer running;</li>
 *   <li>{@code downloads/**} (wordpress.org, git builds), {@code packages/} (the packages frozen at
 *       sign-off) and {@code git/} (fetched repositories): kept for {@code stageguard.retention.downloads}
 *       (30 days) after they were last written, and never while a running release uses them.</li>
 * </ul>
 * Age is the time a file or folder was last written; nothing of a running release is removed.
 */
public final class DataRetention {
    private DataRetention() {}

    /**
     * @param reports   how long a release's report folder is kept after its last round (default 180 days)
     * @param downloads how long a downloaded or built package, a frozen package and a fetched repository are kept after their last use (default 30 days)
     */
    @ConfigurationProperties("stageguard.retention")
    public record Rules(Duration reports, Duration downloads) {
        public Rules {
            if (reports == null) reports = Duration.ofDays(180);
            if (downloads == null) downloads = Duration.ofDays(30);
        }
    }

    /** What a sweep removed, and how many bytes that freed. */
    public record Removed(List<Path> paths, long bytes) {}

    /**
     * @param running whether the release with this id is still running
     * @param inUse   the packages running releases name (their changes' zips and frozen packages)
     */
    public static Removed sweep(Path dataDir, Rules rules, Instant now, Predicate<String> running, Set<Path> inUse)
            throws IOException {
        List<Path> removed = new ArrayList<>();
        long[] bytes = {0};
        Instant reportsBefore = now.minus(rules.reports());
        Instant downloadsBefore = now.minus(rules.downloads());
        for (Path report : children(dataDir.resolve("reports"))) {
            if (!running.test(name(report)) && lastWritten(report).isBefore(reportsBefore))
                remove(report, removed, bytes);
        }
        for (Path scratch : children(dataDir.resolve("rehearsals"))) {
            if (!running.test(name(scratch))) remove(scratch, removed, bytes);
        }
        for (Path folder : List.of(dataDir.resolve("downloads"), dataDir.resolve("packages"))) {
            if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) continue;
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                        .toList()) {
                    if (!inUse.contains(file.toAbsolutePath().normalize())
                            && lastWritten(file).isBefore(downloadsBefore)) remove(file, removed, bytes);
                }
            }
        }
        for (Path repository : children(dataDir.resolve("git"))) {
            // a fetch writes into the repository (FETCH_HEAD, refs, packs): its newest file is its last use
            if (lastWritten(repository).isBefore(downloadsBefore)) remove(repository, removed, bytes);
        }
        return new Removed(removed, bytes[0]);
    }

    private static List<Path> children(Path folder) throws IOException {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) return List.of();
        try (Stream<Path> children = Files.list(folder)) {
            return children.sorted().toList();
        }
    }

    private static String name(Path path) {
        return path.getFileName().toString();
    }

    /** The newest modification time in a tree (or of a file). */
    static Instant lastWritten(Path path) throws IOException {
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS))
            return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant();
        try (Stream<Path> tree = Files.walk(path)) {
            return tree.map(p -> {
                        try {
                            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS)
                                    .toInstant();
                        } catch (IOException gone) {
                            return Instant.EPOCH;
                        }
                    })
                    .max(Comparator.naturalOrder())
                    .orElse(Instant.EPOCH);
        }
    }

    private static void remove(Path path, List<Path> removed, long[] bytes) throws IOException {
        try (Stream<Path> tree = Files.walk(path)) {
            bytes[0] += tree.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) FileTreeCopier.deleteTree(path);
        else Files.deleteIfExists(path);
        removed.add(path);
    }
}
