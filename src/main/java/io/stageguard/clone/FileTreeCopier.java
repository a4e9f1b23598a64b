package io.stageguard.clone;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/** Copies a document root file by file (streams, not whole files in memory), keeping symlinks and permissions. */
public final class FileTreeCopier {
    public record Copied(long files, long bytes) {
    }

    private FileTreeCopier() {
    }

    public static Copied copy(Path from, Path to, Set<Path> excludedRelative) throws IOException {
        long[] counts = new long[2];
        Files.createDirectories(to);
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path rel = from.relativize(dir);
                if (excludedRelative.contains(rel)) return FileVisitResult.SKIP_SUBTREE;
                Path target = to.resolve(rel.toString());
                Files.createDirectories(target);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path rel = from.relativize(file);
                if (excludedRelative.contains(rel)) return FileVisitResult.CONTINUE;
                Path target = to.resolve(rel.toString());
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(file));
                } else {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS,
                            StandardCopyOption.REPLACE_EXISTING);
                    counts[1] += attrs.size();
                }
                counts[0]++;
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) throw exc;
                Path target = to.resolve(from.relativize(dir).toString());
                Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(dir));
                Files.setLastModifiedTime(target, Files.getLastModifiedTime(dir));
                return FileVisitResult.CONTINUE;
            }
        });
        return new Copied(counts[0], counts[1]);
    }

    /** Empties a folder but keeps it: a document root may be a mount point or carry ownership set up by the host. */
    public static void emptyFolder(Path root) throws IOException {
        Files.createDirectories(root);
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : children.toList()) deleteTree(child);
        }
    }

    /** Removes a folder and everything in it, symlinks removed rather than followed. Absent is fine. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
