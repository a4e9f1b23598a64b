package io.stageguard.wordpress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a site's own code runs when Stageguard runs it (plugins' activation hooks, {@code admin_init},
 * WordPress's upgrade routines, the inventory probe): never with Stageguard's keys (ADR 11). The
 * program runs under bubblewrap in a mount namespace of its own that shows the system read-only
 * and, of everything else on the machine, only the one document root it works in: not Stageguard's
 * data folder (the secret key, the H2 database, backups), not any other site's root, not live's
 * root from staging. It has its own {@code /tmp}, its own process namespace (Stageguard's command
 * line is not in its {@code /proc}), an empty environment plus what it is given, and it runs as the
 * owner of that document root with no capabilities, never as root: a root owned by root (or by
 * nobody the machine knows) runs as {@value #DEFAULT_USER}. Staging's root is handed to that user
 * when it is cloned, so code under test can write staging and nothing else.
 */
public final class SiteCodeSandbox {
    /** The unprivileged user site code runs as where its root belongs to root; {@code ./stageguard} creates it. */
    public static final String DEFAULT_USER = "stageguard-site";

    static final Path BWRAP = Path.of("/usr/bin/bwrap");
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    /**
     * What a PHP needs of the system: programs and libraries, its configuration, the database
     * server's socket. Not {@code /opt}, {@code /srv} or {@code /var}, where Stageguard's own data
     * or other sites may live; a PHP runtime installed elsewhere brings its own folder.
     */
    private static final List<String> SYSTEM = List.of("/usr", "/etc", "/run/mysqld");

    private static final List<String> MERGED_USR_LINKS =
            List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");
    /** Environment a PHP gets besides what its caller names. */
    private static final Map<String, String> BASE_ENVIRONMENT =
            Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "LANG", "C.UTF-8", "HOME", "/tmp", "TMPDIR", "/tmp");

    private SiteCodeSandbox() {}

    /** The user and group a confined program runs as. */
    public record Identity(String name, int uid, int gid) {
        /** The machine's user of that name, as its name service knows it. */
        public static java.util.Optional<Identity> of(String name) throws IOException {
            return SystemUsers.byName(name);
        }
    }

    /**
     * {@code command}, confined to {@code documentRoot} (read-write, as its owner) and started in it,
     * with {@code environment} as its whole environment besides a plain {@code PATH}, {@code LANG},
     * {@code HOME} and {@code TMPDIR}. Fails, naming the fix, where bubblewrap or the user is missing.
     */
    public static List<String> confine(Path documentRoot, List<String> command, Map<String, String> environment)
            throws IOException {
        if (!Files.isExecutable(BWRAP)) {
            throw new IOException("Site code runs only in a sandbox, and bubblewrap is not installed (" + BWRAP
                    + "): apt-get install bubblewrap");
        }
        Path root = documentRoot.toRealPath();
        Identity identity = identityFor(root);
        List<String> sandbox = new ArrayList<>(List.of(
                BWRAP.toString(),
                "--die-with-parent",
                "--new-session",
                "--unshare-pid",
                "--unshare-ipc",
                "--unshare-uts",
                "--unshare-cgroup-try",
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                "--perms",
                "1777",
                "--tmpfs",
                "/tmp"));
        for (String dir : SYSTEM) sandbox.addAll(List.of("--ro-bind-try", dir, dir));
        for (String link : MERGED_USR_LINKS) {
            Path path = Path.of(link);
            if (Files.isSymbolicLink(path))
                sandbox.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), link));
            else if (Files.isDirectory(path)) sandbox.addAll(List.of("--ro-bind", link, link));
        }
        Path program = Path.of(command.get(0));
        if (program.isAbsolute() && !program.toRealPath().startsWith("/usr")) {
            // a runtime installed elsewhere: its installation (/opt/php-8.3 for /opt/php-8.3/bin/php), or the program
            // alone
            Path real = program.toRealPath();
            boolean inBin = real.getParent().getFileName() != null
                    && real.getParent().getFileName().toString().matches("s?bin");
            Path shown = inBin ? real.getParent().getParent() : real;
            passThrough(sandbox, shown);
            sandbox.addAll(List.of("--ro-bind", shown.toString(), shown.toString()));
        }
        passThrough(sandbox, root);
        sandbox.addAll(List.of("--bind", root.toString(), root.toString(), "--chdir", root.toString(), "--clearenv"));
        BASE_ENVIRONMENT.forEach((k, v) -> sandbox.addAll(List.of("--setenv", k, v)));
        environment.forEach((k, v) -> sandbox.addAll(List.of("--setenv", k, v)));
        // bubblewrap started by root keeps no capability unless told; setpriv needs these two to become the site's user
        sandbox.addAll(List.of(
                "--cap-add",
                "CAP_SETUID",
                "--cap-add",
                "CAP_SETGID",
                "--",
                SETPRIV.toString(),
                "--reuid=" + identity.uid(),
                "--regid=" + identity.gid(),
                "--clear-groups",
                "--no-new-privs",
                "--inh-caps=-all",
                "--bounding-set=-all",
                "--"));
        sandbox.addAll(command);
        return sandbox;
    }

    /**
     * The folders above {@code path} exist in the sandbox only as its way there: made here, open to
     * pass through, so that the sandbox's user reaches what is bound below them (bubblewrap would make
     * them for root alone).
     */
    private static void passThrough(List<String> sandbox, Path path) {
        List<Path> above = new ArrayList<>();
        for (Path dir = path.getParent(); dir != null && dir.getParent() != null; dir = dir.getParent())
            above.add(0, dir);
        for (Path dir : above) {
            boolean mounted = dir.equals(Path.of("/tmp")) || SYSTEM.stream().anyMatch(system -> dir.startsWith(system));
            if (!mounted) sandbox.addAll(List.of("--perms", "0755", "--dir", dir.toString()));
        }
    }

    /**
     * Who a document root's code runs as: the root's owner, unless that is root or unknown to the
     * machine, then {@value #DEFAULT_USER}.
     */
    public static Identity identityFor(Path documentRoot) throws IOException {
        int owner = (Integer) Files.getAttribute(documentRoot, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != 0) {
            Optional<Identity> known = SystemUsers.byUid(owner);
            if (known.isPresent()) return known.get();
        }
        return sandboxUser();
    }

    /** {@value #DEFAULT_USER}, or a clear error naming how to create it. */
    public static Identity sandboxUser() throws IOException {
        return SystemUsers.byName(DEFAULT_USER)
                .orElseThrow(() -> new IOException("Site code runs as the unprivileged user " + DEFAULT_USER
                        + ", which this machine does not have: create it with `useradd --system --no-create-home --shell /usr/sbin/nologin "
                        + DEFAULT_USER + "` (./stageguard does)"));
    }

    /**
     * Hands a staging tree to the user its code runs as, so that code under test can write staging
     * (uploads, caches, its log) and nothing of Stageguard's. Links are not followed.
     */
    public static void handOver(Path stagingRoot) throws IOException {
        Identity user = sandboxUser();
        try (var files = Files.walk(stagingRoot)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.setAttribute(file, "unix:uid", user.uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(file, "unix:gid", user.gid(), LinkOption.NOFOLLOW_LINKS);
            }
        }
    }
}
