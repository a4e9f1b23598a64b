package io.stageguard.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stageguard.demo.LocalWordPress;
import io.stageguard.site.DatabaseConnection;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.wordpress.PageFetcher;
import io.stageguard.wordpress.ServingPhp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stageguard's one-shot file in a site's document root (ADR 5), replayed by someone who saw its
 * token in flight (a proxy, a CDN): the code inside it sends its own request again, with the same
 * token and other arguments (review 954a1fc, M3). The replay finds no such file any more, the
 * arguments the code ran with are Stageguard's, and no file is left.
 */
class OneShotRequestTest {
    @TempDir
    Path work;

    @Test
    void theTokenWorksOnceAndOnlyWithStageguardsArguments() throws Exception {
        // the server's router and log go beside the document root: inside the temporary folder
        Path root = Files.createDirectories(work.resolve("site"));
        int port = LocalWordPress.freePort();
        SiteEnvironment site = new SiteEnvironment(
                "http://127.0.0.1:" + port, root, new DatabaseConnection("127.0.0.1", 1, "none", "none", "", "wp_"));
        Files.writeString(root.resolve("index.php"), "<?php echo 'site';");
        String replay = """
                $again = @file_get_contents( 'http://127.0.0.1:' . $_SERVER['SERVER_PORT'] . '/' . basename( __FILE__ ), false,
                    stream_context_create( array( 'http' => array( 'method' => 'POST', 'ignore_errors' => true,
                        'header' => "Content-Type: application/json\\r\\nX-Stageguard-Token: " . $_SERVER['HTTP_X_STAGEGUARD_TOKEN'],
                        'content' => '{"constants":["DB_PASSWORD"]}' ) ) ) );
                echo json_encode( array( 'args' => $stageguard_args, 'replay' => (string) $again ) );
                """;
        try (LocalWordPress.PhpServer server = LocalWordPress.serve(root, port);
                PageFetcher fetcher = new PageFetcher()) {
            JsonNode answer = new ServingPhp(fetcher).run(site, replay, Map.of("plugins", java.util.List.of("hello")));

            // gone: the request falls through to the site's own index.php, as any unknown path does here (nginx would
            // answer 404)
            assertThat(answer.get("replay").asText())
                    .as("the same token a second time finds no one-shot file")
                    .isEqualTo("site");
            assertThat(answer.get("args").toString())
                    .as("the arguments written into the file, not the request's")
                    .isEqualTo("{\"plugins\":[\"hello\"]}");
        }
        try (var files = Files.list(root)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("nothing of the one-shot request stays")
                    .containsExactly("index.php");
        }
    }
}
