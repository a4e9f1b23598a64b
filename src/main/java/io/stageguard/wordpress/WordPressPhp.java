package io.stageguard.wordpress;

import io.stageguard.ChildProcesses;
import io.stageguard.site.PhpProperties;
import io.stageguard.site.SiteEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Runs PHP inside a WordPress install with the site's own PHP, the way WP-CLI does: the script
 * gets {@code ABSPATH_DIR} (the document root) and a request environment for the site's host, and
 * loads WordPress itself when it needs it. It loads the site's code, so it runs confined to that
 * document root, as its owner, without Stageguard's environment ({@link SiteCodeSandbox}).
 *
 * <p>The program is one of the configured runtimes, never a path from a site definition. Paths
 * and host reach PHP through the environment and values through {@code $argv}; nothing from a
 * site definition is ever written into the script's source.
 */
@Component
public class WordPressPhp {
    private static final String PRELUDE = """
            <?php
            define( 'ABSPATH_DIR', getenv( 'STAGEGUARD_ABSPATH_DIR' ) );
            $_SERVER['HTTP_HOST'] = getenv( 'STAGEGUARD_HTTP_HOST' );
            $_SERVER['REQUEST_URI'] = '/';
            $_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
            // PHP defines these only for a script read from a file, and ours comes on standard input
            if ( ! defined( 'STDERR' ) ) {
                define( 'STDERR', fopen( 'php://stderr', 'w' ) );
            }
            // a fatal error is told in the output whatever the site's logging does with it (WordPress sends it to its log)
            register_shutdown_function( function () {
                $error = error_get_last();
                if ( $error && in_array( $error['type'], array( E_ERROR, E_PARSE, E_CORE_ERROR, E_COMPILE_ERROR, E_USER_ERROR ), true ) ) {
                    fwrite( STDERR, 'PHP Fatal error: ' . $error['message'] . ' in ' . $error['file'] . ' on line ' . $error['line'] . "\n" );
                }
            } );
            """;
    private final PhpProperties properties;

    public WordPressPhp(PhpProperties properties) {
        this.properties = properties;
    }

    public String run(SiteEnvironment env, String code, String... args) throws IOException {
        return run(env.documentRoot(), env.baseUrl(), env.phpRuntime(), code, args);
    }

    /**
     * Runs {@code code} (Stageguard's own PHP, without the opening tag); its output is returned, a
     * non-zero exit is an error that shows it.
     */
    public String run(Path documentRoot, String baseUrl, String runtime, String code, String... args)
            throws IOException {
        String binary;
        try {
            binary = properties.binary(runtime);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        Path root = documentRoot.toRealPath();
        Path script = Files.createTempFile("stageguard-wp-", ".php");
        Path output = Files.createTempFile("stageguard-wp-", ".out");
        try {
            Files.writeString(script, PRELUDE + code, StandardCharsets.UTF_8);
            // the script comes on standard input: the sandbox shows nothing of Stageguard's files, its temp folder
            // neither
            List<String> command = new ArrayList<>(List.of(binary, "--"));
            command.addAll(List.of(args));
            Map<String, String> environment = Map.of(
                    "STAGEGUARD_ABSPATH_DIR",
                    root.toString(),
                    "STAGEGUARD_HTTP_HOST",
                    baseUrl.replaceFirst("^https?://", "").replaceAll("/.*$", ""));
            // the PHP dies with Stageguard, and a later start finds its sandbox by its mark if it did not
            ProcessBuilder builder = new ProcessBuilder(
                            ChildProcesses.dyingWithStageguard(SiteCodeSandbox.confine(root, command, environment)))
                    .directory(root.toFile())
                    .redirectInput(script.toFile())
                    // to a file, not a pipe: a script that never stops writing cannot block us before the timeout
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().clear();
            ChildProcesses.mark(builder.environment());
            Process p = builder.start();
            if (!p.waitFor(properties.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IOException("PHP in " + documentRoot + " did not finish within "
                        + properties.timeout().toSeconds() + " s and was stopped");
            }
            String out = Files.readString(output, StandardCharsets.UTF_8);
            if (p.exitValue() != 0)
                throw new IOException("PHP in " + documentRoot + " exited " + p.exitValue() + ": " + out.strip());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running PHP in " + documentRoot, e);
        } finally {
            Files.deleteIfExists(script);
            Files.deleteIfExists(output);
        }
    }
}
