package io.stageguard.signoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stageguard.StageguardProperties;
import io.stageguard.support.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The push installs from Stageguard's own copies: a cleaned workspace or an altered package cannot reach live. */
class PackageStoreTest {
    @TempDir
    Path work;

    @Test
    void aFrozenPackageIsKeptUnderItsHashAndOutlivesItsSource() throws Exception {
        PackageStore store = new PackageStore(new StageguardProperties(work.resolve("data"), null));
        Path source = Files.writeString(work.resolve("plugin-1.1.0.zip"), "the tested package");
        String sha = Sha256.of(source);

        Path kept = store.keep(source, sha);
        assertThat(kept)
                .isEqualTo(work.resolve("data/packages/" + sha + ".zip"))
                .hasContent("the tested package");
        Files.delete(source);
        assertThat(store.keep(source, sha))
                .as("the CI workspace was cleaned; the copy is still there")
                .isEqualTo(kept);
    }

    @Test
    void aPackageThatChangedOrVanishedBeforeItWasKeptIsRefused() throws Exception {
        PackageStore store = new PackageStore(new StageguardProperties(work.resolve("data"), null));
        Path source = Files.writeString(work.resolve("plugin-1.2.0.zip"), "the tested package");
        String sha = Sha256.of(source);
        Files.writeString(source, "rebuilt in place after QA");

        assertThatThrownBy(() -> store.keep(source, sha)).hasMessageContaining("changed since it was tested");
        assertThat(work.resolve("data/packages")).isEmptyDirectory();
        Files.delete(source);
        assertThatThrownBy(() -> store.keep(source, sha))
                .hasMessageContaining("is gone since it was tested, and Stageguard holds no copy of it");
    }
}
