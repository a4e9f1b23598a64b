package io.stageguard.update;

import io.stageguard.clone.FileTreeCopier;
import io.stageguard.site.WritePoints;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Installs a plugin or theme zip into a document root. The zip is unpacked next to its target and
 * swapped in with renames, so a failed unpack leaves the installed version untouched; entries that
 * would land outside the target folder (zip-slip) are refused.
 */
public final class PackageInstaller {
    private PackageInstaller() {
    }

    public static void install(Path documentRoot, Change change) throws IOException {
        Path target = documentRoot.resolve(change.targetFolder()).normalize();
        if (!target.startsWith(documentRoot.resolve("wp-content"))) {
            throw new IllegalArgumentException("change " + change.label() + " would install outside wp-content");
        }
        Files.createDirectories(target.getParent());
        // lexical containment is not enough: wp-content/plugins may be a link into another site's files
        Path realRoot = documentRoot.toRealPath();
        if (!target.getParent().toRealPath().startsWith(realRoot)
                || (Files.exists(target) && !target.toRealPath().startsWith(realRoot))) {
            throw new IOException("change " + change.label() + " would install through a symbolic link to " + target.getParent().toRealPath()
                    + ", outside " + realRoot + "; refusing to write there");
        }
        Path unpacked = target.resolveSibling(".stageguard-new-" + change.slug());
        Path previous = target.resolveSibling(".stageguard-old-" + change.slug());
        recover(target, previous);
        FileTreeCopier.deleteTree(unpacked);
        FileTreeCopier.deleteTree(previous);
        unpack(change.packageFile(), change.slug(), unpacked);
        if (Files.exists(target)) {
            Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE);
        }
        WritePoints.reached(WritePoints.INSTALL_BETWEEN_RENAMES, target);
        Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
        FileTreeCopier.deleteTree(previous);
    }

    /**
     * Puts back a folder an earlier attempt moved aside and was stopped (a crash, kill -9) before
     * the new one took its place, so the site has its previous version again before anything else.
     */
    public static void recover(Path documentRoot, Change change) throws IOException {
        Path target = documentRoot.resolve(change.targetFolder()).normalize();
        recover(target, target.resolveSibling(".stageguard-old-" + change.slug()));
    }

    private static void recover(Path target, Path previous) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS) && Files.isDirectory(previous, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(previous, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** WordPress zips hold one top folder named after the slug; its content becomes the target folder. */
    private static void unpack(Path zip, String slug, Path into) throws IOException {
        Files.createDirectories(into);
        try (ZipFile file = new ZipFile(zip.toFile())) {
            if (file.size() > ZipLimits.MAX_ENTRIES) throw new IOException(zip + " holds more than " + ZipLimits.MAX_ENTRIES + " entries");
            long written = 0;
            String strip = singleTopFolder(file, slug);
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (strip != null) {
                    if (!name.startsWith(strip)) continue;
                    name = name.substring(strip.length());
                }
                if (name.isEmpty()) continue;
                Path out = into.resolve(name).normalize();
                if (!out.startsWith(into)) {
                    throw new IOException("zip entry escapes its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    // sizes declared in the zip may lie: count what really comes out
                    try (InputStream in = file.getInputStream(entry); OutputStream to = Files.newOutputStream(out)) {
                        byte[] buffer = new byte[64 * 1024];
                        long entryBytes = 0;
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            entryBytes += n;
                            written += n;
                            if (written > ZipLimits.MAX_TOTAL_BYTES) throw new IOException(zip + " unpacks to more than " + ZipLimits.MAX_TOTAL_BYTES + " bytes");
                            String bomb = ZipLimits.ratioProblem(entry.getName(), entryBytes, entry.getCompressedSize());
                            if (bomb != null) throw new IOException(zip + ": " + bomb);
                            to.write(buffer, 0, n);
                        }
                    }
                }
            }
        }
    }

    private static String singleTopFolder(ZipFile file, String slug) {
        String prefix = slug + "/";
        return file.stream().allMatch(e -> e.getName().startsWith(prefix)) ? prefix : null;
    }
}
