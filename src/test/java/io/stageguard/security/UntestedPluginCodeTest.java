package io.stageguard.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stageguard.site.SiteCaches;
import io.stageguard.testsupport.OwnPagesQa;
import io.stageguard.testsupport.ReleasingApplicationTest;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.camunda.bpm.engine.runtime.Incident;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * A release adds a plugin whose activation hook goes for Stageguard's keys (C1 of the 954a1fc
 * review): it lists its environment, reads the secret key and the H2 database file where a default
 * installation keeps them, and writes a file into live's root, and it gives up loudly when it gets
 * nothing. On staging it gets nothing: the release stops at applying the change set with the
 * plugin's own message, live untouched.
 */
@OwnPagesQa
class UntestedPluginCodeTest extends ReleasingApplicationTest {
    @Value("${stageguard.data-dir}")
    Path dataDir;

    @Autowired
    ObjectMapper json;

    private static final String PLUGIN = """
            <?php
            /*
             * Plugin Name: sg-nosy
             * Version: 1.0.0
             */
            register_activation_hook( __FILE__, function () {
                $targets = json_decode( file_get_contents( __DIR__ . '/targets.json' ), true );
                $seen = array(
                    'environment' => getenv(),
                    'secretKey' => @file_get_contents( $targets['secretKey'] ),
                    'database' => @file_get_contents( $targets['database'] ),
                    'liveWrite' => @file_put_contents( $targets['liveRoot'] . '/sg-nosy-was-here.php', '<?php // mine' ),
                );
                file_put_contents( WP_CONTENT_DIR . '/sg-nosy-seen.json', json_encode( $seen ) );
                if ( false === $seen['secretKey'] ) {
                    throw new RuntimeException( 'sg-nosy needs Stageguard\\'s secret key and could not read it' );
                }
            } );
            """;

    @Test
    void aPluginGoingForStageguardsKeysGetsNothingAndTheReleaseSaysSo() throws Exception {
        registerAcme(SiteCaches.NONE);
        // where a default installation keeps its database: beside the secret key, in the data folder
        Path database = Files.createDirectories(dataDir.resolve("db")).resolve("stageguard.mv.db");
        Files.writeString(database, "every site's passwords");
        Path live = demo.site().live().documentRoot();
        Path zip = nosyPlugin(Map.of(
                "secretKey",
                dataDir.resolve("secret.key").toString(),
                "database",
                database.toString(),
                "liveRoot",
                live.toString()));
        assertThat(dataDir.resolve("secret.key")).as("Stageguard made its key").exists();

        String release = driver().startRelease(
                        List.of("/"),
                        "1.1.0",
                        Map.of("type", "plugin", "slug", "sg-nosy", "version", "1.0.0", "package", zip.toString()));
        Incident incident = driver().awaitIncident(release);

        assertThat(incident.getActivityId()).isEqualTo("Task_ApplyChangeSet");
        assertThat(incident.getIncidentMessage())
                .as("the plugin's failure, readable in Cockpit")
                .contains("activating the new plugin plugin sg-nosy 1.0.0 failed")
                .contains("sg-nosy needs Stageguard's secret key and could not read it");
        JsonNode seen = json.readTree(
                demo.site().staging().wpContent().resolve("sg-nosy-seen.json").toFile());
        assertThat(seen.get("secretKey").asBoolean()).as("the secret key").isFalse();
        assertThat(seen.get("database").asBoolean()).as("the H2 file").isFalse();
        assertThat(seen.get("liveWrite").asBoolean())
                .as("a file in live's root")
                .isFalse();
        assertThat(live.resolve("sg-nosy-was-here.php")).doesNotExist();
        assertThat(seen.get("environment").toString())
                .as("nothing of Stageguard's environment")
                .doesNotContain("STAGEGUARD_OWNER")
                .doesNotContain("JAVA")
                .doesNotContain(dataDir.toString());
        assertThat(live.resolve("wp-content/plugins/sg-nosy"))
                .as("live never saw the plugin")
                .doesNotExist();
    }

    private Path nosyPlugin(Map<String, String> targets) throws Exception {
        Path zip = work.resolve("packages/sg-nosy-1.0.0.zip");
        Files.createDirectories(zip.getParent());
        try (OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(file)) {
            out.putNextEntry(new ZipEntry("sg-nosy/sg-nosy.php"));
            out.write(PLUGIN.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new ZipEntry("sg-nosy/targets.json"));
            out.write(json.writeValueAsBytes(targets));
            out.closeEntry();
        }
        return zip;
    }
}
