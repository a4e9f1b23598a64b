package io.stageguard.update;

import io.stageguard.StageguardProperties;
import io.stageguard.support.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.springframework.stereotype.Component;

/**
 * Custom code from git (JGit, no git binary): when a change set is accepted, the repository is
 * fetched into Stageguard's data folder, the ref is resolved to its commit, and the folder at
 * {@code path} of that commit's tree is zipped under the change's slug, as a plugin or theme zip.
 * From then on the change is that zip and that commit: a later push to the branch changes nothing
 * of what is tested, signed off and released.
 */
@Component
public class GitPackager {
    private final UpdateProperties properties;
    private final Path repositories;
    private final Path packages;

    public GitPackager(UpdateProperties properties, StageguardProperties app) {
        this.properties = properties;
        this.repositories = app.dataDir().resolve("git");
        this.packages = app.dataDir().resolve("downloads").resolve("git");
    }

    /** A git change that cannot be built, with the field it concerns ("git.ref"). */
    public static class GitChangeException extends IOException {
        private final String field;

        GitChangeException(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /**
     * Every change of {@code changes} that names a git source and no commit yet, built and pinned;
     * the others as they are. Problems are keyed by field ("changes[2].git.ref").
     */
    public Map<String, String> pinAll(List<Change> changes, java.util.function.BiConsumer<Integer, Change> replace) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (int i = 0; i < changes.size(); i++) {
            Change change = changes.get(i);
            // a slug that is not a folder name is the validator's to report; it never reaches a file name here
            if (change == null
                    || change.git() == null
                    || change.git().commit() != null
                    || !ChangeSetValidator.isSlug(change.slug())) continue;
            try {
                replace.accept(i, pin(change));
            } catch (GitChangeException e) {
                errors.put("changes[" + i + "]." + e.field(), e.getMessage());
            } catch (IOException e) {
                errors.put("changes[" + i + "].git", e.getMessage());
            }
        }
        return errors;
    }

    /** The change with its package built from the commit its ref points to now. */
    public Change pin(Change change) throws IOException {
        GitRef git = change.git();
        if (change.type() == ChangeType.CORE)
            throw new GitChangeException("type", "core comes from a release zip, not from git");
        if (git.repository() == null || git.repository().isBlank())
            throw new GitChangeException("git.repository", "is required");
        if (properties.gitRepositories().stream().noneMatch(allowed -> within(git.repository(), allowed))) {
            throw new GitChangeException(
                    "git.repository",
                    "is not within stageguard.updates.git-repositories " + properties.gitRepositories());
        }
        if (git.ref() == null || git.ref().isBlank())
            throw new GitChangeException("git.ref", "is required: a branch, tag or commit");
        String path = git.path() == null ? "" : git.path().replaceAll("^/+|/+$", "");
        if (path.contains("..") || path.contains("\\"))
            throw new GitChangeException("git.path", "must be a folder of the tree, without '..'");
        try (Git fetched = fetched(git.repository())) {
            Repository repository = fetched.getRepository();
            ObjectId id = repository.resolve(git.ref() + "^{commit}");
            if (id == null)
                throw new GitChangeException(
                        "git.ref", "no branch, tag or commit '" + git.ref() + "' in " + git.repository());
            try (RevWalk walk = new RevWalk(repository)) {
                RevCommit commit = walk.parseCommit(id);
                Path zip = zip(repository, commit, path, change.slug());
                String version = PackageHeader.versionInZip(zip, change.type(), change.slug());
                return change.builtFrom(git.pinned(commit.name()), version, zip);
            }
        } catch (GitAPIException e) {
            throw new GitChangeException("git.repository", "cannot be fetched: " + e.getMessage());
        }
    }

    /**
     * Whether a repository lies within an allowed one, by whole path segments, never by text: a path
     * by its real path ({@code /srv/git/a/../b.git} is {@code /srv/git/b.git}, {@code /srv/git/ab}
     * is not in {@code /srv/git/a}); a URL by scheme, host and port, then by its normalized path.
     */
    static boolean within(String repository, String allowed) {
        boolean url = repository.contains("://");
        if (url != allowed.contains("://")) return false;
        try {
            if (!url) {
                Path path = Path.of(repository);
                return path.isAbsolute()
                        && path.toRealPath().startsWith(Path.of(allowed).toRealPath());
            }
            URI r = new URI(repository).normalize();
            URI a = new URI(allowed).normalize();
            if (r.getRawPath() == null
                    || r.getRawPath().contains("..")
                    || r.getRawUserInfo() != null && a.getRawUserInfo() == null) return false;
            String scope = a.getRawPath() == null || a.getRawPath().isEmpty() ? "/" : a.getRawPath();
            return r.getScheme().equalsIgnoreCase(a.getScheme())
                    && r.getHost() != null
                    && r.getHost().equalsIgnoreCase(a.getHost())
                    && r.getPort() == a.getPort()
                    && (r.getRawPath().equals(scope)
                            || r.getRawPath().startsWith(scope.endsWith("/") ? scope : scope + "/"));
        } catch (IOException | java.net.URISyntaxException | RuntimeException notWithin) {
            return false;
        }
    }

    /** How long a fetch may wait on the remote's answers. */
    private static final int FETCH_TIMEOUT_SECONDS = 120;

    /** A bare copy of the repository in the data folder, fetched now. */
    private Git fetched(String url) throws IOException, GitAPIException {
        Path dir = repositories.resolve(Sha256.of(url).substring(0, 16) + ".git");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(repositories);
            Path partial = repositories.resolve(".partial-" + UUID.randomUUID());
            // an empty bare repository, filled by the fetch below: a clone would insist on the remote's HEAD, which a
            // bare repository may lack
            Git.init().setBare(true).setDirectory(partial.toFile()).call().close();
            Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
        }
        Git git = Git.open(dir.toFile());
        try {
            // a server that stops answering fails the fetch instead of holding the job (and its lock) for ever
            git.fetch()
                    .setTimeout(FETCH_TIMEOUT_SECONDS)
                    .setRemote(url)
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
                    .setForceUpdate(true)
                    .call();
        } catch (GitAPIException | RuntimeException e) {
            git.close();
            throw e;
        }
        return git;
    }

    /** The folder {@code path} of the commit's tree as {@code slug}/... in a zip named after the commit. */
    private Path zip(Repository repository, RevCommit commit, String path, String slug) throws IOException {
        ObjectId tree = commit.getTree();
        if (!path.isEmpty()) {
            try (TreeWalk folder = TreeWalk.forPath(repository, path, commit.getTree())) {
                if (folder == null || !folder.getFileMode(0).equals(FileMode.TREE)) {
                    throw new GitChangeException(
                            "git.path",
                            "no folder " + path + " at commit " + commit.name().substring(0, 12));
                }
                tree = folder.getObjectId(0);
            }
        }
        Files.createDirectories(packages);
        Path zip = packages.resolve(slug + "-" + commit.name()
                + (path.isEmpty() ? "" : "-" + Sha256.of(path).substring(0, 8)) + ".zip");
        if (Files.isRegularFile(zip)) return zip;
        Path partial = packages.resolve(".partial-" + UUID.randomUUID());
        try (OutputStream file = Files.newOutputStream(partial);
                ZipOutputStream out = new ZipOutputStream(file, StandardCharsets.UTF_8);
                TreeWalk walk = new TreeWalk(repository)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            while (walk.next()) {
                FileMode mode = walk.getFileMode(0);
                if (mode.equals(FileMode.SYMLINK) || mode.equals(FileMode.GITLINK)) {
                    throw new GitChangeException(
                            "git.path",
                            "holds " + (mode.equals(FileMode.SYMLINK) ? "a symbolic link" : "a submodule") + " at "
                                    + walk.getPathString() + ", which a plugin or theme zip cannot carry");
                }
                out.putNextEntry(new ZipEntry(slug + "/" + walk.getPathString()));
                repository.open(walk.getObjectId(0)).copyTo(out);
                out.closeEntry();
            }
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, zip, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return zip;
    }
}
