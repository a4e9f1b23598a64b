package io.stageguard.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packages that try to write where they should not, or to unpack into more than they are, are refused before anything lands. */
class PackageInstallerTest {
    @TempDir
    Path work;

    private Path zip(String name, String entry, byte[] content) throws IOException {
        Path zip = work.resolve(name);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry(entry));
            out.write(content);
            out.closeEntry();
        }
        return zip;
    }

    private Path site() throws IOException {
        Path root = work.resolve("site");
        Files.createDirectories(root.resolve("wp-content/plugins"));
        return root;
    }

    @Test
    void aZipBombIsRefusedWhenTheChangeSetIsCheckedAndWhenItIsUnpacked() throws IOException {
        Path bomb = zip("bomb.zip", "bomb/zeros.txt", new byte[64 * 1024 * 1024]);
        Change change = new Change(ChangeType.PLUGIN, "bomb", "1.0.0", bomb.toString());
        assertThat(ChangeSetValidator.problems(
                        List.of(change),
                        new PackageFolders(List.of(work), List::of, new PackageUploads(work.resolve("uploads")))))
                .hasEntrySatisfying(
                        "changes[0].package", problem -> assertThat(problem).contains("a zip bomb"));
        Path root = site();
        assertThatThrownBy(() -> PackageInstaller.install(root, change)).hasMessageContaining("a zip bomb");
        assertThat(root.resolve("wp-content/plugins/bomb")).doesNotExist();
    }

    @Test
    void anEntryThatEscapesItsFolderIsRefused() throws IOException {
        Path slip = zip("slip.zip", "../../wp-config.php", "<?php // mine now".getBytes(StandardCharsets.UTF_8));
        Path root = site();
        assertThatThrownBy(() ->
                        PackageInstaller.install(root, new Change(ChangeType.PLUGIN, "slip", "1.0.0", slip.toString())))
                .hasMessageContaining("escapes its folder");
        assertThat(root.resolve("wp-config.php")).doesNotExist();
    }

    @Test
    void aPluginsFolderThatIsALinkElsewhereIsNotWrittenThrough() throws IOException {
        Path elsewhere = Files.createDirectories(work.resolve("someone-elses-plugins"));
        Path root = work.resolve("linked-site");
        Files.createDirectories(root.resolve("wp-content"));
        Files.createSymbolicLink(root.resolve("wp-content/plugins"), elsewhere);
        Path plugin = zip("ok.zip", "ok/ok.php", "<?php /* Plugin Name: ok */".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() ->
                        PackageInstaller.install(root, new Change(ChangeType.PLUGIN, "ok", "1.0.0", plugin.toString())))
                .hasMessageContaining("through a symbolic link");
        try (var files = Files.list(elsewhere)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void anOrdinaryPluginInstalls() throws IOException {
        Path plugin = zip("ok.zip", "ok/ok.php", "<?php /* Plugin Name: ok */".getBytes(StandardCharsets.UTF_8));
        Path root = site();
        PackageInstaller.install(root, new Change(ChangeType.PLUGIN, "ok", "1.0.0", plugin.toString()));
        assertThat(root.resolve("wp-content/plugins/ok/ok.php")).hasContent("<?php /* Plugin Name: ok */");
    }
}
