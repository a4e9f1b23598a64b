package io.stageguard.site;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs PHP inside a WordPress install with the site's own PHP, the way WP-CLI does: the script
 * gets {@code ABSPATH_DIR} (the document root) and a request environment for the site's host, and
 * loads WordPress itself when it needs it.
 */
public final class WordPressPhp {
    private WordPressPhp() {
    }

    public static String run(SiteEnvironment env, String code, String... args) throws IOException {
        return run(env.documentRoot(), env.baseUrl(), env.phpBinary(), code, args);
    }

    /** Runs {@code code} (PHP without the opening tag); its output is returned, a non-zero exit is an error that shows it. */
    public static String run(Path documentRoot, String baseUrl, String phpBinary, String code, String... args) throws IOException {
        Path script = Files.createTempFile("stageguard-wp-", ".php");
        try {
            String host = baseUrl.replaceFirst("^https?://", "").replaceAll("/.*$", "");
            Files.writeString(script, "<?php\n"
                    + "const ABSPATH_DIR = " + quote(documentRoot.toString()) + ";\n"
                    + "$_SERVER['HTTP_HOST'] = " + quote(host) + ";\n"
                    + "$_SERVER['REQUEST_URI'] = '/';\n$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';\n"
                    + code, StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of(phpBinary, script.toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).directory(documentRoot.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("PHP in " + documentRoot + " did not finish within 5 minutes");
            }
            if (p.exitValue() != 0) throw new IOException("PHP in " + documentRoot + " exited " + p.exitValue() + ": " + out.strip());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running PHP in " + documentRoot, e);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
