package io.stageguard.update;

import io.stageguard.clone.FileTreeCopier;
import io.stageguard.support.WritePoints;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Installs a plugin or theme zip into a document root. The zip is unpacked completely next to its
 * target and then swapped in ({@link FolderSwap}), so a failed unpack leaves the installed version
 * untouched and a request never meets a missing or half-written folder; entries that would land
 * outside the target folder (zip-slip) are refused.
 */
public final class PackageInstaller {
    private PackageInstaller() {}

    /** A package unpacked completely beside the folder it will replace, not yet serving. */
    public record Unpacked(Change change, Path target, Path next) {}

    /** Unpacks and swaps in one package: {@link #unpack} then {@link #swapIn}. */
    public static FolderSwap.Method install(Path documentRoot, Change change) throws IOException {
        return swapIn(unpack(documentRoot, change));
    }

    /**
     * Unpacks a package next to its target folder ({@code .stageguard-next-<slug>}); the site keeps
     * serving what it has. A failed unpack leaves the target untouched.
     */
    public static Unpacked unpack(Path documentRoot, Change change) throws IOException {
        Path target = documentRoot.resolve(change.targetFolder()).normalize();
        if (!target.startsWith(documentRoot.resolve("wp-content"))) {
            throw new IllegalArgumentException("change " + change.label() + " would install outside wp-content");
        }
        Files.createDirectories(target.getParent());
        // lexical containment is not enough: wp-content/plugins may be a link into another site's files
        Path realRoot = documentRoot.toRealPath();
        if (!target.getParent().toRealPath().startsWith(realRoot)
                || (Files.exists(target) && !target.toRealPath().startsWith(realRoot))) {
            throw new IOException("change " + change.label() + " would install through a symbolic link to "
                    + target.getParent().toRealPath() + ", outside " + realRoot + "; refusing to write there");
        }
        Path next = target.resolveSibling(".stageguard-next-" + change.slug());
        recover(target, next);
        FileTreeCopier.deleteTree(next);
        unpack(change.packageFile(), change.slug(), next);
        return new Unpacked(change, target, next);
    }

    /**
     * Swaps the unpacked folder in ({@link FolderSwap}: one atomic exchange where the system allows)
     * and deletes the version it replaced, which the pre-deploy backup holds.
     */
    public static FolderSwap.Method swapIn(Unpacked unpacked) throws IOException {
        FolderSwap.Method method = FolderSwap.swap(unpacked.next(), unpacked.target());
        WritePoints.reached(WritePoints.INSTALL_AFTER_SWAP, unpacked.target());
        FileTreeCopier.deleteTree(unpacked.next());
        return method;
    }

    /**
     * Puts back a folder that a two-step swap moved aside and was stopped (a crash, kill -9) before
     * the new one took its place, so the site has its previous version again before anything else.
     */
    private static void recover(Path target, Path next) throws IOException {
        Path aside = next.resolveSibling(next.getFileName() + ".previous");
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS) && Files.isDirectory(aside, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);
        }
        FileTreeCopier.deleteTree(aside);
    }

    /**
     * WordPress zips hold one top folder named after the slug; its content becomes the target
     * folder. Every name is checked and every folder made first; the files are then inflated by as
     * many threads as there are cores (a core release holds some 3,000), each counting what really
     * comes out, since sizes declared in the zip may lie.
     */
    static void unpack(Path zip, String slug, Path into) throws IOException {
        Files.createDirectories(into);
        try (ZipFile file = new ZipFile(zip.toFile())) {
            if (file.size() > ZipLimits.MAX_ENTRIES)
                throw new IOException(zip + " holds more than " + ZipLimits.MAX_ENTRIES + " entries");
            String strip = singleTopFolder(file, slug);
            List<ZipEntry> entries = new ArrayList<>();
            List<Path> targets = new ArrayList<>();
            Enumeration<? extends ZipEntry> all = file.entries();
            while (all.hasMoreElements()) {
                ZipEntry entry = all.nextElement();
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
                Files.createDirectories(entry.isDirectory() ? out : out.getParent());
                if (!entry.isDirectory()) {
                    entries.add(entry);
                    targets.add(out);
                }
            }
            inflate(zip, file, entries, targets);
        }
    }

    private static void inflate(Path zip, ZipFile file, List<ZipEntry> entries, List<Path> targets) throws IOException {
        AtomicLong written = new AtomicLong();
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 4));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    byte[] buffer = new byte[64 * 1024];
                    for (int k = first; k < entries.size(); k += threads) {
                        ZipEntry entry = entries.get(k);
                        try (InputStream in = file.getInputStream(entry);
                                OutputStream to = Files.newOutputStream(targets.get(k))) {
                            long entryBytes = 0;
                            for (int n; (n = in.read(buffer)) > 0; ) {
                                entryBytes += n;
                                if (written.addAndGet(n) > ZipLimits.MAX_TOTAL_BYTES) {
                                    throw new IOException(
                                            zip + " unpacks to more than " + ZipLimits.MAX_TOTAL_BYTES + " bytes");
                                }
                                String bomb =
                                        ZipLimits.ratioProblem(entry.getName(), entryBytes, entry.getCompressedSize());
                                if (bomb != null) throw new IOException(zip + ": " + bomb);
                                to.write(buffer, 0, n);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> part : parts) part.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException("unpacking " + zip + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unpacking " + zip, e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String singleTopFolder(ZipFile file, String slug) {
        String prefix = slug + "/";
        return file.stream().allMatch(e -> e.getName().startsWith(prefix)) ? prefix : null;
    }
}
