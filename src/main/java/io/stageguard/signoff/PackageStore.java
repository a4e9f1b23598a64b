package io.stageguard.signoff;

import io.stageguard.StageguardProperties;
import io.stageguard.support.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Stageguard's own copy of every package a release froze, named by its SHA-256 in the data folder.
 * The caller's file (a CI workspace, a download folder) may be cleaned between sign-off and push;
 * the push installs from here, and the name says what the content must be.
 */
@Component
public class PackageStore {
    private final Path directory;

    public PackageStore(StageguardProperties properties) {
        this.directory = properties.dataDir().resolve("packages");
    }

    /** Copies {@code source} into the store unless it is there already; refuses content that is not what was tested. */
    public Path keep(Path source, String sha256) throws IOException {
        Path stored = directory.resolve(sha256 + ".zip");
        if (Files.isRegularFile(stored) && Sha256.of(stored).equals(sha256)) return stored;
        if (!Files.isRegularFile(source)) {
            throw new IOException(
                    "package " + source + " is gone since it was tested, and Stageguard holds no copy of it");
        }
        Files.createDirectories(directory);
        Path partial = directory.resolve(".partial-" + UUID.randomUUID());
        try {
            Files.copy(source, partial, StandardCopyOption.REPLACE_EXISTING);
            String actual = Sha256.of(partial);
            if (!actual.equals(sha256)) {
                throw new IOException("package " + source + " changed since it was tested (sha256 " + actual
                        + ", tested " + sha256 + ")");
            }
            Files.move(partial, stored, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        return stored;
    }
}
