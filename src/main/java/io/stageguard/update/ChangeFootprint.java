package io.stageguard.update;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a change set can change on a site, as paths relative to its document root: a plugin's or
 * theme's folder, and for a core update every core folder and file it replaces, adds or removes
 * ({@link CoreUpdater#footprint}). The backup holds exactly these, the drift check compares them.
 */
public final class ChangeFootprint {
    private ChangeFootprint() {}

    public static List<String> paths(Path documentRoot, List<Change> changes) throws IOException {
        Set<String> paths = new LinkedHashSet<>();
        for (Change change : changes) paths.addAll(paths(documentRoot, change));
        return new ArrayList<>(paths);
    }

    public static List<String> paths(Path documentRoot, Change change) throws IOException {
        return switch (change.type()) {
            case CORE -> CoreUpdater.footprint(documentRoot, CorePackage.read(change.packageFile()));
            case PLUGIN, THEME -> List.of(change.targetFolder());
            // an option lives in the database, which the backup always holds whole
            case OPTION -> List.of();
            case CONSTANT -> List.of("wp-config.php");
        };
    }
}
