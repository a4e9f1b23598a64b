package io.stageguard.wordpress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.support.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Runs a piece of PHP inside the PHP that serves a site (PHP-FPM, mod_php, php -S), not in a
 * command-line PHP beside it: OPcache and an APCu object cache live in the serving process's
 * memory, which {@code php} on the command line never reaches. The code goes into a one-shot file
 * in the document root with an unguessable name, its arguments written into it; it answers only a
 * POST carrying its token (POST also passes every page cache and CDN), refuses to run after two
 * minutes, removes itself before it runs (and Stageguard deletes it as soon as its one request is
 * answered, where the serving PHP may not). Files left behind by a crash are deleted on the next run.
 * See ADR 0005.
 */
@Component
public class ServingPhp {
    private static final String PREFIX = "stageguard-oneshot-";
    private static final Duration LIFETIME = Duration.ofMinutes(2);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PageFetcher fetcher;

    public ServingPhp(PageFetcher fetcher) {
        this.fetcher = fetcher;
    }

    /**
     * @param code PHP statements that read their input from {@code $stageguard_args} (the decoded
     *             {@code args}) and echo one JSON answer
     * @return the decoded answer
     */
    public JsonNode run(SiteEnvironment site, String code, Map<String, ?> args) throws IOException {
        return run(site, Map.of(), code, args);
    }

    /** @param headers sent with the request besides the token (the staging guard's credential) */
    public JsonNode run(SiteEnvironment site, Map<String, String> headers, String code, Map<String, ?> args)
            throws IOException {
        removeLeftovers(site.documentRoot());
        String name = PREFIX + HexFormat.of().formatHex(bytes(16)) + ".php";
        String token = HexFormat.of().formatHex(bytes(32));
        Path file = site.documentRoot().resolve(name);
        Files.writeString(
                file,
                program(Sha256.of(token), Instant.now().plus(LIFETIME), code, JSON.writeValueAsString(args)),
                StandardCharsets.UTF_8);
        try {
            Map<String, String> requestHeaders = new java.util.HashMap<>(headers);
            requestHeaders.put("X-Stageguard-Token", token);
            PageFetcher.Page answer = fetcher.postJson(site.url("/" + name), requestHeaders, "{}");
            if (answer.status() != 200) {
                throw new IOException("the site's PHP answered HTTP " + answer.status()
                        + " to Stageguard's one-shot request: " + excerpt(answer.body()));
            }
            try {
                return JSON.readTree(answer.body());
            } catch (IOException notJson) {
                throw new IOException(
                        "the site's PHP did not answer Stageguard's one-shot request with JSON: "
                                + excerpt(answer.body()),
                        notJson);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The file the serving PHP writes its errors to, when it is one this machine can read (not syslog or stderr). */
    public Optional<Path> errorLog(SiteEnvironment site) throws IOException {
        String log = run(site, "echo json_encode( array( 'errorLog' => (string) ini_get( 'error_log' ) ) );", Map.of())
                .path("errorLog")
                .asText();
        if (log.isBlank()) return Optional.empty();
        Path file = site.documentRoot().resolve(log);
        return Files.isRegularFile(file) && Files.isReadable(file) ? Optional.of(file) : Optional.empty();
    }

    /**
     * The one-shot file. Its arguments are written into it (Base64, so no value can leave the
     * string), not taken from the request: someone who sees the token in flight (a proxy, a CDN)
     * cannot send other ones. It removes itself before it runs, so the token works once.
     */
    private static String program(String tokenHash, Instant expires, String code, String argsJson) {
        String args = java.util.Base64.getEncoder().encodeToString(argsJson.getBytes(StandardCharsets.UTF_8));
        return "<?php\n"
                + "// Written by Stageguard for one request and deleted right after it; answers nothing without its token.\n"
                + "if ( time() > " + expires.getEpochSecond() + " || 'POST' !== $_SERVER['REQUEST_METHOD']\n"
                + "\t|| ! hash_equals( '" + tokenHash
                + "', hash( 'sha256', $_SERVER['HTTP_X_STAGEGUARD_TOKEN'] ?? '' ) ) ) {\n"
                + "\thttp_response_code( 404 );\n\texit;\n}\n"
                + "@unlink( __FILE__ );\n"
                + "header( 'Content-Type: application/json' );\n"
                + "header( 'Cache-Control: no-store, private' );\n"
                + "$stageguard_args = json_decode( base64_decode( '" + args + "' ), true );\n"
                + code + "\n";
    }

    private static void removeLeftovers(Path documentRoot) throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(documentRoot, PREFIX + "*.php")) {
            for (Path p : leftovers) Files.deleteIfExists(p);
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String excerpt(String body) {
        String text = body == null
                ? ""
                : body.replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").trim();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
