package io.stageguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 954a1fc, M10: the data folder does not grow for ever. Reports, rehearsal scratch,
 * downloads, frozen packages and fetched repositories past their retention go; what a running
 * release uses, and what has a retention of its own (backups, keys, the database), stays.
 */
class DataRetentionTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final DataRetention.Rules RULES = new DataRetention.Rules(null, null);

    @TempDir
    Path data;

    private Path file(String path, Duration age) throws IOException {
        Path file = data.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "x".repeat(1000));
        // the file and the folders above it were written then (a folder's time changes when an entry is added)
        for (Path p = file; !p.equals(data); p = p.getParent())
            Files.setLastModifiedTime(p, FileTime.from(NOW.minus(age)));
        return file;
    }

    @Test
    void whatIsPastItsRetentionGoesAndWhatARunningReleaseUsesStays() throws Exception {
        Duration old = Duration.ofDays(200);
        Duration recent = Duration.ofDays(2);
        file("reports/rel-old/round-1/report.html", old);
        file("reports/rel-recent/round-1/report.html", recent);
        file("reports/rel-running/round-1/report.html", old);
        // a report whose last round wrote recently, though its first round is old
        file("reports/rel-two-rounds/round-1/report.html", old);
        file("reports/rel-two-rounds/round-2/report.html", recent);
        file("rehearsals/rel-crashed/files/index.php", Duration.ofHours(3));
        file("rehearsals/rel-running/files/index.php", Duration.ofHours(3));
        file("downloads/wordpress.org/plugin/akismet.5.3.zip", Duration.ofDays(40));
        file("downloads/wordpress.org/plugin/akismet.5.4.zip", recent);
        Path usedDownload = file("downloads/git/sg-custom-abc.zip", Duration.ofDays(40));
        file("packages/1111.zip", Duration.ofDays(40));
        Path frozen = file("packages/2222.zip", Duration.ofDays(40));
        file("git/aaaa.git/objects/pack/p.pack", Duration.ofDays(40));
        file("git/bbbb.git/objects/pack/p.pack", Duration.ofDays(40));
        file("git/bbbb.git/FETCH_HEAD", Duration.ofDays(1));
        Path key = file("secret.key", Duration.ofDays(400));
        Path backup = file("backups/rel-old/database.sql", Duration.ofDays(400));
        Path database = file("db/stageguard.mv.db", Duration.ofDays(400));
        // links inside the data folder are removed as links (or left); what they point at is never touched
        Path liveRoot = Files.createDirectories(data.resolve("elsewhere/live"));
        Path liveFile = Files.writeString(liveRoot.resolve("wp-config.php"), "<?php // live's");
        Path scratchLink = Files.createSymbolicLink(data.resolve("rehearsals/rel-linked"), liveRoot);
        Files.createSymbolicLink(data.resolve("downloads/wordpress.org/plugin/linked.zip"), liveFile);

        DataRetention.Removed removed =
                DataRetention.sweep(data, RULES, NOW, Set.of("rel-running")::contains, Set.of(usedDownload, frozen));

        assertThat(removed.paths())
                .containsExactlyInAnyOrder(
                        data.resolve("reports/rel-old"),
                        data.resolve("rehearsals/rel-crashed"),
                        scratchLink,
                        data.resolve("downloads/wordpress.org/plugin/akismet.5.3.zip"),
                        data.resolve("packages/1111.zip"),
                        data.resolve("git/aaaa.git"));
        assertThat(removed.bytes()).isEqualTo(5 * 1000);
        removed.paths().forEach(p -> assertThat(p).doesNotExist());
        assertThat(data.resolve("reports/rel-recent")).exists();
        assertThat(data.resolve("reports/rel-running"))
                .as("a running release's report")
                .exists();
        assertThat(data.resolve("reports/rel-two-rounds/round-1"))
                .as("a report goes whole, after its last round")
                .exists();
        assertThat(data.resolve("rehearsals/rel-running")).exists();
        assertThat(usedDownload).as("a package a running release names").exists();
        assertThat(frozen).as("a running release's frozen package").exists();
        assertThat(data.resolve("git/bbbb.git"))
                .as("a repository fetched yesterday")
                .exists();
        assertThat(key).exists();
        assertThat(backup).as("backups have their own retention").exists();
        assertThat(database).exists();
        assertThat(liveFile).as("what a link in the data folder pointed at").hasContent("<?php // live's");

        assertThat(DataRetention.sweep(data, RULES, NOW, id -> false, Set.of()).paths())
                .as("a second sweep finds what the first spared")
                .contains(
                        data.resolve("reports/rel-running"),
                        data.resolve("rehearsals/rel-running"),
                        usedDownload,
                        frozen);
    }

    @Test
    void theRetentionsAreSettings() {
        DataRetention.Rules shorter = new DataRetention.Rules(Duration.ofDays(7), Duration.ofDays(1));
        assertThat(shorter.reports()).isEqualTo(Duration.ofDays(7));
        assertThat(RULES.reports()).isEqualTo(Duration.ofDays(180));
        assertThat(RULES.downloads()).isEqualTo(Duration.ofDays(30));
    }
}
