package io.stageguard.clone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Removing a tree removes links as links: what a link inside staging points at (live's files, a
 * secret) stays, however deep the link sits and whether it names a folder or a file (review
 * 954a1fc, M2: staging is written by code under test, which can plant such links).
 */
class FileTreeCopierTest {
    @TempDir
    Path work;

    @Test
    void aTreeGoesWholeAndWhatItsLinksPointAtStays() throws Exception {
        Path elsewhere = Files.createDirectories(work.resolve("live/wp-content/uploads"));
        Files.writeString(elsewhere.resolve("photo.jpg"), "live's photo");
        Path secret = Files.writeString(work.resolve("secret.key"), "key");
        Path tree = Files.createDirectories(work.resolve("staging/wp-content/plugins/shop/includes"));
        Files.writeString(tree.resolve("shop.php"), "<?php");
        Files.createSymbolicLink(work.resolve("staging/wp-content/uploads"), elsewhere);
        Files.createSymbolicLink(tree.resolve("config.php"), secret);
        Files.createSymbolicLink(work.resolve("staging/dangling"), work.resolve("nowhere"));

        FileTreeCopier.deleteTree(work.resolve("staging"));

        assertThat(work.resolve("staging")).doesNotExist();
        assertThat(elsewhere.resolve("photo.jpg")).hasContent("live's photo");
        assertThat(secret).hasContent("key");
    }

    @Test
    void aLinkGivenAsTheTreeIsRemovedAsALink() throws Exception {
        Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("keep.txt"), "kept");
        Path link = Files.createSymbolicLink(work.resolve("link"), elsewhere);

        FileTreeCopier.deleteTree(link);

        assertThat(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(elsewhere.resolve("keep.txt")).hasContent("kept");
    }
}
