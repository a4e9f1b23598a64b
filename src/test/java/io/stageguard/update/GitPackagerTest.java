package io.stageguard.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stageguard.StageguardProperties;
import io.stageguard.testsupport.PluginRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom code from a real git repository (a bare one the test makes and pushes to with JGit):
 * a ref is pinned to its commit when the change is accepted, and the folder of that commit's tree
 * becomes the plugin zip, whatever is pushed afterwards.
 */
class GitPackagerTest {
    @TempDir
    static Path work;

    static PluginRepository repository;
    static RevCommit first;
    static GitPackager packager;

    @BeforeAll
    static void repositoryWithAVersion() throws Exception {
        repository = PluginRepository.create(work.resolve("repos/acme-custom.git"));
        first = repository.push("sg-custom", "1.0.0", "v1.0.0");
        packager = new GitPackager(
                new UpdateProperties(
                        null, null, null, null, List.of(work.resolve("repos").toString()), null),
                new StageguardProperties(work.resolve("stageguard"), "http://localhost"));
    }

    @AfterAll
    static void close() {
        repository.close();
    }

    private static Change fromGit(String ref, String path) {
        return new Change(
                ChangeType.PLUGIN,
                "sg-custom",
                null,
                null,
                false,
                new GitRef(repository.origin().toString(), ref, path, null),
                false);
    }

    @Test
    void aRefIsPinnedToItsCommitAndTheFolderOfThatTreeBecomesThePluginZip() throws Exception {
        Change tagged = packager.pin(fromGit("v1.0.0", "plugins/sg-custom"));
        assertThat(tagged.git().commit()).isEqualTo(first.name());
        assertThat(tagged.version()).as("read from the built package's header").isEqualTo("1.0.0");
        try (ZipFile zip = new ZipFile(tagged.packagePath())) {
            assertThat(zip.stream().map(e -> e.getName()).toList())
                    .containsExactlyInAnyOrder("sg-custom/sg-custom.php", "sg-custom/assets/custom.css");
        }
        assertThat(ChangeSetValidator.problems(
                        List.of(tagged),
                        new PackageFolders(
                                List.of(work.resolve("stageguard/downloads")),
                                List::of,
                                new PackageUploads(work.resolve("stageguard/downloads/uploads")))))
                .isEmpty();

        RevCommit second = repository.push("sg-custom", "1.1.0", null);
        Change main = packager.pin(fromGit("main", "plugins/sg-custom"));
        assertThat(main.git().commit()).isEqualTo(second.name());
        assertThat(main.version()).isEqualTo("1.1.0");
        byte[] pinnedPackage = Files.readAllBytes(Path.of(main.packagePath()));

        repository.push("sg-custom", "1.2.0", null);
        assertThat(Files.readAllBytes(Path.of(main.packagePath())))
                .as("a push after acceptance changes nothing that was pinned")
                .isEqualTo(pinnedPackage);
        assertThat(packager.pin(fromGit(second.name(), "plugins/sg-custom")).packagePath())
                .as("a commit is a ref too")
                .isEqualTo(main.packagePath());
    }

    @Test
    void aMissingRefAFolderThatIsNotThereAndARepositoryOutsideTheAllowedOnesAreNamed() {
        Map<String, String> errors = packager.pinAll(
                new java.util.ArrayList<>(List.of(
                        fromGit("release-9", "plugins/sg-custom"),
                        fromGit("main", "plugins/sg-nothing"),
                        fromGit("main", "../../etc"),
                        new Change(
                                ChangeType.PLUGIN,
                                "sg-custom",
                                null,
                                null,
                                false,
                                new GitRef("/srv/elsewhere.git", "main", null, null),
                                false))),
                (i, c) -> {});
        assertThat(errors)
                .containsEntry("changes[0].git.ref", "no branch, tag or commit 'release-9' in " + repository.origin())
                .containsEntry("changes[2].git.path", "must be a folder of the tree, without '..'")
                .containsEntry(
                        "changes[3].git.repository",
                        "is not within stageguard.updates.git-repositories [" + work.resolve("repos") + "]");
        assertThat(errors.get("changes[1].git.path")).startsWith("no folder plugins/sg-nothing at commit ");
        assertThatThrownBy(() -> packager.pin(new Change(
                        ChangeType.CORE,
                        null,
                        null,
                        null,
                        false,
                        new GitRef(repository.origin().toString(), "main", null, null),
                        false)))
                .hasMessage("core comes from a release zip, not from git");
    }

    @Test
    void theAllowListComparesWholePathSegmentsNotText() throws Exception {
        Path allowed = Files.createDirectories(work.resolve("allow/git/a"));
        Files.createDirectories(work.resolve("allow/git/b.git"));
        Files.createDirectories(work.resolve("allow/git/ab"));
        Files.createDirectories(allowed.resolve("inside.git"));
        Files.createSymbolicLink(allowed.resolve("link.git"), work.resolve("allow/git/b.git"));
        String a = allowed.toString();
        assertThat(GitPackager.within(a + "/inside.git", a)).isTrue();
        assertThat(GitPackager.within(a + "/../b.git", a))
                .as("a '..' leaves the folder")
                .isFalse();
        assertThat(GitPackager.within(work.resolve("allow/git/ab").toString(), a))
                .as("a longer name is not inside")
                .isFalse();
        assertThat(GitPackager.within(a + "/link.git", a))
                .as("a link leading out")
                .isFalse();
        assertThat(GitPackager.within("inside.git", a)).as("a relative path").isFalse();

        String host = "https://git.acme.example/agency/";
        assertThat(GitPackager.within("https://git.acme.example/agency/theme.git", host))
                .isTrue();
        assertThat(GitPackager.within("https://GIT.acme.example/agency/theme.git", host))
                .isTrue();
        assertThat(GitPackager.within("https://git.acme.example/agency/../other/x.git", host))
                .isFalse();
        assertThat(GitPackager.within("https://git.acme.example/agencyx/x.git", "https://git.acme.example/agency"))
                .isFalse();
        assertThat(GitPackager.within("https://git.acme.example.evil.test/agency/x.git", host))
                .isFalse();
        assertThat(GitPackager.within("https://git.acme.example:8443/agency/x.git", host))
                .isFalse();
        assertThat(GitPackager.within("https://user@git.acme.example/agency/x.git", host))
                .as("credentials smuggled into the URL")
                .isFalse();
        assertThat(GitPackager.within("http://git.acme.example/agency/x.git", host))
                .isFalse();
        assertThat(GitPackager.within(a + "/inside.git", host))
                .as("a path against a URL")
                .isFalse();
    }
}
