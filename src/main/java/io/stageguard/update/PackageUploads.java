package io.stageguard.update;

import io.stageguard.StageguardProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Packages sent to Stageguard instead of named by a path on its machine: a developer's zip is rarely
 * there. {@code POST /api/packages} stores the body under its SHA-256 in
 * {@code <data-dir>/downloads/uploads/} (a package folder, kept as long as downloads are); a change
 * then names it as {@code "package": "sha256:<hex>"}. Stored by content, so nobody can replace what
 * a change names, and the same zip sent twice is one file.
 */
@Component
public class PackageUploads {
    /** WordPress.org refuses plugin zips over 10 MB; premium suites and core are larger, none near this. */
    static final long MAX_BYTES = 256L << 20;

    private static final String PREFIX = "sha256:";
    private static final Pattern REFERENCE = Pattern.compile(PREFIX + "[0-9a-f]{64}");
    private final Path folder;

    @Autowired
    public PackageUploads(StageguardProperties app) {
        this(app.dataDir().resolve("downloads").resolve("uploads"));
    }

    PackageUploads(Path folder) {
        this.folder = folder;
    }

    /** A stored package: what a change names it by, and its size. */
    public record Upload(String sha256, String reference, long bytes) {}

    /** Thrown when a body is not a package Stageguard accepts; the message says why, for a 400. */
    public static final class RefusedUpload extends Exception {
        RefusedUpload(String message) {
            super(message);
        }
    }

    /** Stores {@code body} when it is a zip within the package limits; an equal zip stored before is the same upload. */
    public Upload store(InputStream body) throws IOException, RefusedUpload {
        Files.createDirectories(folder);
        Path partial = folder.resolve(".partial-" + UUID.randomUUID());
        try {
            MessageDigest sha256 = sha256();
            long bytes = 0;
            try (OutputStream out = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = body.read(buffer)) > 0; ) {
                    bytes += n;
                    if (bytes > MAX_BYTES) throw new RefusedUpload("is larger than " + (MAX_BYTES >> 20) + " MiB");
                    sha256.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            if (bytes == 0)
                throw new RefusedUpload("is empty: send the zip as the request body (Content-Type: application/zip)");
            String problem;
            try (ZipFile zip = new ZipFile(partial.toFile())) {
                problem = ZipLimits.problem(zip);
            } catch (IOException e) {
                problem = "is not a zip file";
            }
            if (problem != null) throw new RefusedUpload(problem);
            String hex = HexFormat.of().formatHex(sha256.digest());
            Path stored = folder.resolve(hex + ".zip");
            if (Files.isRegularFile(stored)) {
                // sent before: the same bytes by their hash; its retention starts again now
                Files.setLastModifiedTime(stored, FileTime.fromMillis(System.currentTimeMillis()));
            } else {
                Files.move(partial, stored, StandardCopyOption.ATOMIC_MOVE);
            }
            return new Upload(hex, PREFIX + hex, bytes);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** Whether {@code packageRef} names an upload rather than a path. */
    static boolean isReference(String packageRef) {
        return packageRef != null && packageRef.startsWith(PREFIX);
    }

    /** The stored file a {@code sha256:} reference names, or null when it is not a well-formed reference. */
    Path file(String packageRef) {
        return packageRef != null && REFERENCE.matcher(packageRef).matches()
                ? folder.resolve(packageRef.substring(PREFIX.length()) + ".zip")
                : null;
    }

    Path folder() {
        return folder;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
