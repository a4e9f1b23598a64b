package io.stageguard.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.StageguardProperties;
import io.stageguard.demo.FixturePlugin;
import io.stageguard.site.DatabaseConnection;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.testsupport.WordPressOrgStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A package on staging compared with the package itself and with wordpress.org's published
 * checksums (served in their real shape on 127.0.0.1): a file changed after installing, and a
 * package that is not the build wordpress.org published, are both named.
 */
class IntegrityCheckTest {
    @TempDir
    static Path work;

    static WordPressOrgStandIn wordpressOrg;
    static WordPressOrgSource source;
    static IntegrityCheck check;
    static SiteEnvironment staging;

    @BeforeAll
    static void start() throws Exception {
        wordpressOrg = WordPressOrgStandIn.start();
        wordpressOrg
                .plugin(FixturePlugin.SLUG, "1.1.0", FixturePlugin.zip("1.1.0", work.resolve("org")))
                .plugin(FixturePlugin.SLUG, "1.2.0", FixturePlugin.zip("1.2.0", work.resolve("org")))
                .publishChecksum(FixturePlugin.SLUG, "1.2.0", "hello-stageguard.php", "0".repeat(64));
        source = new WordPressOrgSource(
                new UpdateProperties(wordpressOrg.url(), wordpressOrg.downloadsUrl(), null, null, null, null),
                new StageguardProperties(work.resolve("stageguard"), "http://localhost"));
        check = new IntegrityCheck(source);
        staging = new SiteEnvironment(
                "http://127.0.0.1:9",
                Files.createDirectories(work.resolve("staging")),
                new DatabaseConnection("127.0.0.1", 9, "unused", "unused", "unused", "wp_"));
    }

    @AfterAll
    static void stop() {
        wordpressOrg.close();
    }

    private static Change installed(String version) throws Exception {
        Path zip = source.download(new UpdateSource.Offer(
                ChangeType.PLUGIN,
                FixturePlugin.SLUG,
                version,
                WordPressOrgSource.NAME,
                wordpressOrg.downloadsUrl() + "/plugin/" + FixturePlugin.SLUG + "." + version + ".zip"));
        Change change = new Change(ChangeType.PLUGIN, FixturePlugin.SLUG, version, zip.toString());
        PackageInstaller.install(staging.documentRoot(), change);
        return change;
    }

    @Test
    void aPackageFromWordPressOrgMatchesItselfAndThePublishedChecksumsUntilAFileChanges() throws Exception {
        Change change = installed("1.1.0");
        IntegrityCheck.Result clean = check.verify(staging, change);
        assertThat(clean.problems()).isEmpty();
        assertThat(clean.summary())
                .isEqualTo("1 file(s) match the package; 1 match wordpress.org's published checksums");

        Files.writeString(
                staging.documentRoot().resolve(change.targetFolder()).resolve("hello-stageguard.php"),
                "<?php // edited on staging\n");
        assertThat(check.verify(staging, change).problems())
                .containsExactly(
                        "hello-stageguard.php differs from the package",
                        "hello-stageguard.php differs from wordpress.org's checksum");
    }

    @Test
    void aBuildThatIsNotTheOneWordPressOrgPublishedIsNamed() throws Exception {
        Change change = installed("1.2.0");
        assertThat(check.verify(staging, change).problems())
                .containsExactly("hello-stageguard.php differs from wordpress.org's checksum");
    }

    @Test
    void aPackageFromElsewhereIsComparedWithItselfOnly() throws Exception {
        Change change = new Change(
                ChangeType.PLUGIN,
                FixturePlugin.SLUG,
                "1.1.0",
                FixturePlugin.zip("1.1.0", work.resolve("elsewhere")).toString());
        PackageInstaller.install(staging.documentRoot(), change);
        assertThat(check.verify(staging, change))
                .isEqualTo(new IntegrityCheck.Result("1 file(s) match the package", List.of()));
    }
}
