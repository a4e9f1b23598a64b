package io.stageguard.update;

import io.stageguard.clone.FileTreeCopier;
import io.stageguard.site.SiteEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What an install or a restore on live leaves beside its targets until it finishes: a package
 * unpacked as {@code .stageguard-next-<slug>} (after the exchange, the <em>old</em> plugin, theme or
 * {@code wp-admin}, still reachable over the web), a folder being restored as
 * {@code .stageguard-restore-<name>}. A crash followed by a cancel leaves them for good; they are
 * removed when the release ends and when Stageguard starts with no release running on the site.
 */
public final class LiveLeftovers {
    private static final List<String> HEADS = List.of(".stageguard-next-", ".stageguard-restore-");

    private LiveLeftovers() {}

    /** Removes the leftovers beside live's root files, in wp-content, its plugins and themes; returns what went. */
    public static List<Path> remove(SiteEnvironment live) throws IOException {
        List<Path> removed = new ArrayList<>();
        Path content = live.wpContent();
        for (Path folder :
                List.of(live.documentRoot(), content, content.resolve("plugins"), content.resolve("themes"))) {
            if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) continue;
            List<Path> found;
            try (Stream<Path> entries = Files.list(folder)) {
                found = entries.filter(p -> HEADS.stream()
                                .anyMatch(head -> p.getFileName().toString().startsWith(head)))
                        .toList();
            }
            for (Path leftover : found) {
                // a link is removed as a link: never what it points to
                if (Files.isSymbolicLink(leftover)) Files.delete(leftover);
                else FileTreeCopier.deleteTree(leftover);
                removed.add(leftover);
            }
        }
        return removed;
    }
}
