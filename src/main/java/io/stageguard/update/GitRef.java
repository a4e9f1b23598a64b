package io.stageguard.update;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Custom code from a git repository: a folder of the tree at a ref, packaged as a plugin or theme.
 *
 * @param repository a URL or a path, within {@code stageguard.updates.git-repositories}
 * @param ref        a branch, tag or commit
 * @param path       the folder in the tree that becomes the plugin's or theme's folder; the tree's root when left out
 * @param commit     the commit {@code ref} pointed to when the change set was accepted: what is tested and released
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GitRef(String repository, String ref, String path, String commit) {
    public GitRef pinned(String commit) {
        return new GitRef(repository, ref, path, commit);
    }

    public String describe() {
        return repository + (path == null || path.isBlank() ? "" : " " + path) + " @ " + ref
                + (commit == null ? "" : " (" + commit.substring(0, 12) + ")");
    }
}
