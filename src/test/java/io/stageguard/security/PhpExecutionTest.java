package io.stageguard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stageguard.site.PhpProperties;
import io.stageguard.site.WordPressPhp;
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
        String out = new WordPressPhp(PhpProperties.defaults()).run(root, "http://evil'.example/');touch('" + pwned + "');#",
                PhpProperties.DEFAULT_RUNTIME, "echo ABSPATH_DIR, '|', $_SERVER['HTTP_HOST'], '|', $argv[1];", "'); system('id'); //");
        assertThat(out).isEqualTo(root + "|evil'.example|'); system('id'); //");
        assertThat(pwned).doesNotExist();
    }

    @Test
    void onlyConfiguredRuntimesRun() {
        WordPressPhp php = new WordPressPhp(new PhpProperties(Map.of("php8", "php"), null));
        assertThatThrownBy(() -> php.run(work, "http://127.0.0.1", "/bin/sh", "echo 1;"))
                .isInstanceOf(IOException.class).hasMessageContaining("no PHP runtime named '/bin/sh' is configured");
    }

    @Test
    void aRunThatHangsIsStoppedAtTheTimeout() {
        WordPressPhp php = new WordPressPhp(new PhpProperties(null, Duration.ofSeconds(1)));
        // prints without end as well as never finishing: the output must not block the timeout
        assertThatThrownBy(() -> php.run(work, "http://127.0.0.1", null, "while (true) { echo str_repeat('x', 65536); usleep(10000); }"))
                .isInstanceOf(IOException.class).hasMessageContaining("did not finish within 1 s and was stopped");
    }
}
