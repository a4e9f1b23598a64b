package io.stageguard.clone;

import io.stageguard.support.StepProgress;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Copies a document root file by file (streams, not whole files in memory), keeping permissions. */
public final class FileTreeCopier {
    /**
     * @param linksLeavingTree symlinks whose target lies outside the copied tree (or nowhere), as
     *                         relative paths; with {@link Links#REFUSE_LEAVING} they were not copied
     */
    public record Copied(long files, long bytes, List<Path> linksLeavingTree) {}

    /** What a copy does with symbolic links. */
    public enum Links {
        /** Links copied as they are: a backup must put back exactly what was there. */
        KEEP,
        /**
         * Links inside the tree recreated to point at the same place in the copy; links that leave
         * the tree are not copied and reported: a staging copy that writes through such a link
         * would write into live's files.
         */
        REFUSE_LEAVING,
        /** Links inside the tree as with {@link #REFUSE_LEAVING}; what a leaving link points at is copied in its place. */
        COPY_LEAVING
    }

    private FileTreeCopier() {}

    public static Copied copy(Path from, Path to, Set<Path> excludedRelative) throws IOException {
        return copy(from, to, excludedRelative, Links.KEEP);
    }

    public static Copied copy(Path from, Path to, Set<Path> excludedRelative, Links links) throws IOException {
        long[] counts = new long[2];
        List<Path> leaving = new ArrayList<>();
        Path realFrom = from.toRealPath();
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
                if (attrs.isSymbolicLink() && links == Links.KEEP) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(file));
                } else if (attrs.isSymbolicLink()) {
                    Path pointee = realTarget(file);
                    if (pointee != null && pointee.startsWith(realFrom)) {
                        // same place in the copy, relative, so it can never lead back into the source
                        Path inCopy = to.resolve(realFrom.relativize(pointee).toString());
                        Files.createSymbolicLink(target, target.getParent().relativize(inCopy));
                    } else {
                        leaving.add(rel);
                        if (links == Links.REFUSE_LEAVING || pointee == null) return FileVisitResult.CONTINUE;
                        counts[1] += materialize(pointee, target);
                    }
                } else {
                    Files.copy(
                            file,
                            target,
                            StandardCopyOption.COPY_ATTRIBUTES,
                            LinkOption.NOFOLLOW_LINKS,
                            StandardCopyOption.REPLACE_EXISTING);
                    counts[1] += attrs.size();
                }
                counts[0]++;
                StepProgress.advanceThisThread();
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
        return new Copied(counts[0], counts[1], List.copyOf(leaving));
    }

    private static Path realTarget(Path link) {
        try {
            return link.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }

    /** Copies what a link points at (a file or a whole folder, links followed) to {@code target}; returns bytes copied. */
    private static long materialize(Path pointee, Path target) throws IOException {
        long bytes = 0;
        try (Stream<Path> paths = Files.walk(pointee, FileVisitOption.FOLLOW_LINKS)) {
            for (Path p : paths.toList()) {
                Path out = target.resolve(pointee.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(out);
                } else {
                    Files.copy(p, out, StandardCopyOption.REPLACE_EXISTING);
                    bytes += Files.size(p);
                }
            }
        }
        return bytes;
    }

    /** Removes a folder and everything in it, symlinks removed rather than followed. Absent is fine. */
    /** A folder with everything in it, or one file, links as links. */
    public static void copyFileOrTree(Path from, Path to) throws IOException {
        if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
            copy(from, to, Set.of());
        } else {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /**
     * Removes a folder with everything in it (or one file; a link as a link). Each folder is opened
     * once, without following a link, and its entries are removed through that open folder: a folder
     * swapped for a link to elsewhere between listing and removing (code under test can do that
     * inside staging) is refused, never followed (review 954a1fc, M2). Where the file system offers
     * no such handles, a walk that does not follow links.
     */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(root);
            return;
        }
        boolean secure;
        try (DirectoryStream<Path> folder = Files.newDirectoryStream(root)) {
            secure = folder instanceof SecureDirectoryStream<Path>;
            if (secure) deleteEntries((SecureDirectoryStream<Path>) folder);
        }
        if (!secure) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    if (!p.equals(root)) Files.delete(p);
                }
            }
        }
        Files.delete(root);
    }

    private static void deleteEntries(SecureDirectoryStream<Path> folder) throws IOException {
        for (Path entry : folder) {
            Path name = entry.getFileName();
            BasicFileAttributes attributes = folder.getFileAttributeView(
                            name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes();
            if (attributes.isDirectory()) {
                try (SecureDirectoryStream<Path> inner = folder.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                    deleteEntries(inner);
                }
                folder.deleteDirectory(name);
            } else {
                folder.deleteFile(name);
            }
        }
    }
}
