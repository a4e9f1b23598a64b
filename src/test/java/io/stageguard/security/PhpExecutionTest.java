package io.stageguard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stageguard.site.PhpProperties;
import io.stageguard.wordpress.WordPressPhp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stageguard runs only the PHP its configuration names, and nothing a site definition holds ever
 * becomes PHP source: a document root or host crafted to break out of a string literal arrives as
 * a plain value. A run that hangs is stopped.
 */
class PhpExecutionTest {
    @TempDir
    Path work;

    @Test
    void aDocumentRootBuiltToInjectCodeIsOnlyEverAPath() throws IOException {
        Path pwned = work.resolve("pwned");
        Path root = Files.createDirectories(work.resolve("x';touch('" + pwned + "');#"));
        String out = new WordPressPhp(PhpProperties.defaults())
                .run(
                        root,
                        "http://evil'.example/');touch('" + pwned + "');#",
                        PhpProperties.DEFAULT_RUNTIME,
                        "echo ABSPATH_DIR, '|', $_SERVER['HTTP_HOST'], '|', $argv[1];",
                        "'); system('id'); //");
        assertThat(out).isEqualTo(root + "|evil'.example|'); system('id'); //");
        assertThat(pwned).doesNotExist();
    }

    @Test
    void onlyConfiguredRuntimesRun() {
        WordPressPhp php = new WordPressPhp(new PhpProperties(Map.of("php8", "php"), null));
        assertThatThrownBy(() -> php.run(work, "http://127.0.0.1", "/bin/sh", "echo 1;"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no PHP runtime named '/bin/sh' is configured");
    }

    @Test
    void aRunThatHangsIsStoppedAtTheTimeout() {
        WordPressPhp php = new WordPressPhp(new PhpProperties(null, Duration.ofSeconds(1)));
        // prints without end as well as never finishing: the output must not block the timeout
        assertThatThrownBy(() -> php.run(
                        work, "http://127.0.0.1", null, "while (true) { echo str_repeat('x', 65536); usleep(10000); }"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("did not finish within 1 s and was stopped");
    }

    /** Review 954a1fc, L7: the timeout stopped PHP, not what PHP had started; the sandbox's PID namespace goes whole. */
    @Test
    void whatAStoppedRunStartedIsStoppedWithIt() {
        WordPressPhp php = new WordPressPhp(new PhpProperties(null, Duration.ofSeconds(3)));
        String mark = "stageguard-orphan-" + System.nanoTime();
        java.util.concurrent.CompletableFuture<String> run = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return php.run(
                        work,
                        "http://127.0.0.1",
                        null,
                        "exec(\"bash -c 'exec -a " + mark
                                + " sleep 300' > /dev/null 2>&1 &\"); while (true) { usleep(100000); }");
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> running(mark) > 0);
        assertThatThrownBy(run::join)
                .hasRootCauseInstanceOf(IOException.class)
                .rootCause()
                .hasMessageContaining("was stopped");
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        assertThat(running(mark)).as("processes the PHP left").isZero());
    }

    /** Processes whose name (argv[0], which ProcessHandle does not show) is the mark. */
    private static long running(String mark) {
        return ProcessHandle.allProcesses()
                .filter(p -> {
                    try {
                        return new String(
                                        Files.readAllBytes(Path.of("/proc/" + p.pid() + "/cmdline")),
                                        java.nio.charset.StandardCharsets.UTF_8)
                                .startsWith(mark);
                    } catch (IOException gone) {
                        return false;
                    }
                })
                .count();
    }
}
