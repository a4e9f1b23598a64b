package io.stageguard.qa;

import io.stageguard.ChildProcesses;
import io.stageguard.wordpress.SiteCodeSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;

/**
 * Chromium renders untested pages, so it keeps its own sandbox (review 954a1fc, M5). Chromium cannot
 * sandbox itself as root, and Stageguard may run as root: then Chromium runs as the unprivileged
 * user {@value #NAME} ({@code ./stageguard} creates it), with no capabilities and its own home, and
 * its profile is handed to that user. chromedriver, which renders nothing, stays Stageguard's.
 */
final class BrowserUser {
    static final String NAME = "stageguard-browser";
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private BrowserUser() {}

    /** Whether Stageguard runs as root (the owner of its own /proc entry). */
    static boolean stageguardIsRoot() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
    }

    /**
     * The command that starts Chromium with an environment of its own (a plain {@code PATH},
     * {@code LANG}, its {@code HOME} and Stageguard's mark, nothing of Stageguard's: a key in the
     * environment would be the browser's too), and as {@value #NAME} when Stageguard is root, handing
     * it {@code profile} and {@code home}. Not root, Chromium is no more than Stageguard's own user,
     * and sandboxes itself.
     */
    static List<String> runAs(Path profile, Path home) throws IOException {
        List<String> environment = List.of(
                "/usr/bin/env",
                "-i",
                "PATH=/usr/bin:/bin",
                "LANG=C.UTF-8",
                "HOME=" + home,
                ChildProcesses.OWNER + "=" + ChildProcesses.self());
        if (!stageguardIsRoot()) {
            Files.createDirectories(home);
            return environment;
        }
        SiteCodeSandbox.Identity user = SiteCodeSandbox.Identity.of(NAME)
                .orElseThrow(() -> new IOException("Chromium renders staging's pages as the unprivileged user " + NAME
                        + ", which does not exist: create it with "
                        + "useradd --system --no-create-home --shell /usr/sbin/nologin " + NAME
                        + " (./stageguard does)"));
        for (Path folder : List.of(profile, Files.createDirectories(home))) {
            Files.setAttribute(folder, "unix:uid", user.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(folder, "unix:gid", user.gid(), LinkOption.NOFOLLOW_LINKS);
            requireWayThrough(folder.toAbsolutePath().getParent());
        }
        List<String> command = new java.util.ArrayList<>(List.of(
                SETPRIV.toString(),
                "--reuid=" + user.uid(),
                "--regid=" + user.gid(),
                "--clear-groups",
                "--no-new-privs",
                "--inh-caps=-all",
                "--bounding-set=-all",
                "--"));
        command.addAll(environment);
        return command;
    }

    /** The browser's user must pass through every folder above its profile and home (java.io.tmpdir's): a clear error, not a browser that never starts. */
    private static void requireWayThrough(Path folder) throws IOException {
        for (Path dir = folder; dir != null; dir = dir.getParent()) {
            if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException(
                        "Chromium runs as " + NAME + ", which cannot pass through " + dir + " to its profile in "
                                + folder + ": give that folder o+x, or point java.io.tmpdir at a folder it can reach");
            }
        }
    }
}
