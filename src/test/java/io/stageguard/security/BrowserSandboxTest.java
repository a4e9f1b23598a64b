package io.stageguard.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.qa.Browser;
import io.stageguard.qa.QaProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Review 954a1fc, M5: Chromium renders untested pages with its own sandbox on. Stageguard runs as
 * root here, where Chromium cannot sandbox itself: it runs as the unprivileged stageguard-browser,
 * without {@code --no-sandbox}, and its renderers sit in namespaces of their own.
 */
class BrowserSandboxTest {

    @Test
    void chromiumRendersAsItsOwnUserWithItsSandboxOn() throws Exception {
        QaProperties properties =
                new QaProperties(null, null, null, null, null, null, null, null, null, null, null, "MAP * ~NOTFOUND");
        try (Browser browser = new Browser(properties)) {
            browser.driver().get("data:text/html,<title>sandboxed</title><p>a page under test</p>");
            assertThat(browser.driver().getTitle()).isEqualTo("sandboxed");

            List<ProcessHandle> chromium = ProcessHandle.current()
                    .descendants()
                    .filter(p -> cmdline(p).startsWith("/usr/lib/chromium/"))
                    .toList();
            List<ProcessHandle> renderers = chromium.stream()
                    .filter(p -> cmdline(p).contains("--type=renderer"))
                    .toList();
            assertThat(renderers).as("Chromium's renderers").isNotEmpty();
            // as root Chromium becomes stageguard-browser; as anyone else it stays that user, who can sandbox it
            int ownUid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            int browserUid = ownUid == 0
                    ? io.stageguard.wordpress.SiteCodeSandbox.Identity.of("stageguard-browser")
                            .orElseThrow()
                            .uid()
                    : ownUid;
            // what Stageguard's own environment holds (the test's JVM has plenty) never reaches the browser
            java.util.Set<String> ours = new java.util.HashSet<>(System.getenv().keySet());
            ours.removeAll(java.util.Set.of("PATH", "LANG", "HOME", "PWD", "SHLVL", "OLDPWD", "_"));
            for (ProcessHandle process : chromium) {
                assertThat(cmdline(process)).as("pid %d", process.pid()).doesNotContain("--no-sandbox");
                assertThat(environmentNames(process))
                        .as("pid %d's environment", process.pid())
                        .doesNotContainAnyElementsOf(ours);
                assertThat(uid(process))
                        .as("pid %d runs as stageguard-browser", process.pid())
                        .isEqualTo(browserUid);
            }
            String ourNamespace =
                    Files.readSymbolicLink(Path.of("/proc/self/ns/user")).toString();
            for (ProcessHandle renderer : renderers) {
                assertThat(Files.readSymbolicLink(Path.of("/proc/" + renderer.pid() + "/ns/user"))
                                .toString())
                        .as("a renderer's user namespace is the sandbox's own")
                        .isNotEqualTo(ourNamespace);
            }
        }
    }

    /** The command line as the kernel has it: ProcessHandle shows none for a sandboxed renderer, whose executable it cannot resolve. */
    private static String cmdline(ProcessHandle process) {
        try {
            return new String(
                            Files.readAllBytes(Path.of("/proc/" + process.pid() + "/cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }

    private static List<String> environmentNames(ProcessHandle process) {
        try {
            String environ = new String(
                    Files.readAllBytes(Path.of("/proc/" + process.pid() + "/environ")), StandardCharsets.UTF_8);
            return java.util.Arrays.stream(environ.split("\0"))
                    .filter(v -> v.contains("="))
                    .map(v -> v.substring(0, v.indexOf('=')))
                    .toList();
        } catch (IOException gone) {
            return List.of();
        }
    }

    private static int uid(ProcessHandle process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"), StandardCharsets.UTF_8)) {
            if (line.startsWith("Uid:")) return Integer.parseInt(line.split("\\s+")[1]);
        }
        throw new IOException("no Uid in /proc/" + process.pid() + "/status");
    }
}
