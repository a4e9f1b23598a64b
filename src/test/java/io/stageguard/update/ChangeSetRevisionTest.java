package io.stageguard.update;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The revise form's fields turned into a change set, and what it says about fields that cannot be. */
class ChangeSetRevisionTest {
    private static final PackageFolders FOLDERS =
            new PackageFolders(List.of(Path.of("/no")), List::of, new PackageUploads(Path.of("/no/uploads")));
    private static final Change HELLO = new Change(ChangeType.PLUGIN, "hello", "1.1.0", "/packages/hello-1.1.0.zip");
    private static final Change SHOP = new Change(ChangeType.THEME, "shop", "2.0.0", "/packages/shop-2.0.0.zip");
    private static final List<Change> CURRENT = List.of(HELLO, SHOP);
    private static final ChangeSetRevision.Added NOTHING = new ChangeSetRevision.Added(null, "", " ", null);

    @Test
    void theFormOffersEveryChangeAndUntouchedFieldsKeepTheSet() {
        assertThat(ChangeSetRevision.choices(CURRENT))
                .extracting(c -> c.get("label") + "=" + c.get("value"))
                .containsExactly("plugin hello 1.1.0=plugin hello", "theme shop 2.0.0=theme shop");
        assertThat(new ChangeSetRevision(null, NOTHING).revise(CURRENT)).containsExactly(HELLO, SHOP);
    }

    @Test
    void aChangeDroppedAndANewVersionPutInPlaceOfItsSlug() {
        ChangeSetRevision revision = new ChangeSetRevision(
                List.of("theme shop"),
                new ChangeSetRevision.Added("plugin", "hello", "1.1.1", "/packages/hello-1.1.1.zip"));
        assertThat(revision.formProblems(CURRENT)).isEmpty();
        assertThat(revision.revise(CURRENT))
                .containsExactly(new Change(ChangeType.PLUGIN, "hello", "1.1.1", "/packages/hello-1.1.1.zip"));
    }

    @Test
    void aNewChangeGoesLast() {
        ChangeSetRevision revision = new ChangeSetRevision(
                List.of(), new ChangeSetRevision.Added("core", null, "6.5.5", "/packages/wordpress-6.5.5.zip"));
        assertThat(revision.revise(CURRENT))
                .containsExactly(
                        HELLO,
                        SHOP,
                        new Change(ChangeType.CORE, "wordpress", "6.5.5", "/packages/wordpress-6.5.5.zip"));
    }

    @Test
    void fieldsThatCannotBeAreNamed() {
        ChangeSetRevision revision = new ChangeSetRevision(
                List.of("plugin other"), new ChangeSetRevision.Added("widget", "../x", "one dot oh", null));
        assertThat(revision.formProblems(CURRENT))
                .containsOnlyKeys("droppedChanges", "addedType", "addedSlug", "addedVersion", "addedPackage");
        assertThat(revision.formProblems(CURRENT).get("droppedChanges")).contains("plugin other");
    }

    @Test
    void droppingEverythingIsRefusedAndTheValidatorsProblemsWithTheAddedChangeNameItsFields() {
        ChangeSetRevision nothingLeft = new ChangeSetRevision(List.of("plugin hello", "theme shop"), NOTHING);
        assertThat(nothingLeft.problems(CURRENT, FOLDERS)).containsOnlyKeys("droppedChanges");
        assertThat(nothingLeft.problems(CURRENT, FOLDERS).get("droppedChanges")).contains("abandon");

        ChangeSetRevision missingZip = new ChangeSetRevision(
                List.of("plugin hello", "theme shop"),
                new ChangeSetRevision.Added("plugin", "forms", "3.0.0", "/no/such/forms-3.0.0.zip"));
        assertThat(missingZip.problems(CURRENT, FOLDERS)).containsOnlyKeys("addedPackage");
        assertThat(missingZip.problems(CURRENT, FOLDERS).get("addedPackage"))
                .contains("is not a package Stageguard may read");
    }
}
