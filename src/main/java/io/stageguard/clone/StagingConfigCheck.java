package io.stageguard.clone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.wordpress.WordPressPhp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Asks staging's own PHP which database, URLs, table prefix and cache keys WordPress will really
 * use, instead of trusting the text Stageguard wrote: a live wp-config.php that defines DB_NAME
 * from {@code getenv()}, an included file or {@code $_ENV} before Stageguard's settings would win
 * (the first define of a constant wins) and keep staging on live's database.
 *
 * <p>How: wp-config.php is loaded with {@code ABSPATH} pointing at a scratch folder (in the PHP
 * sandbox's own temp folder) whose {@code wp-settings.php} prints the settings and stops, so
 * WordPress itself never boots and nothing is written anywhere else.
 */
public final class StagingConfigCheck {
    private static final String SETTINGS_PRINTER = """
            <?php
            $names = json_decode( getenv( 'STAGEGUARD_SETTINGS' ), true );
            $seen = array( '$table_prefix' => isset( $GLOBALS['table_prefix'] ) ? $GLOBALS['table_prefix'] : null,
                'WP_CACHE' => defined( 'WP_CACHE' ) ? ( WP_CACHE ? 'true' : 'false' ) : null );
            foreach ( $names as $name ) {
                $seen[ $name ] = defined( $name ) ? (string) constant( $name ) : null;
            }
            echo "\\n--stageguard-settings--\\n", json_encode( $seen );
            exit( 0 );
            """;
    private static final String LOAD_CONFIG = """
            $scratch = sys_get_temp_dir() . '/stageguard-config-check';
            @mkdir( $scratch );
            file_put_contents( $scratch . '/wp-settings.php', $argv[1] );
            define( 'ABSPATH', $scratch . '/' );
            putenv( 'STAGEGUARD_SETTINGS=' . $argv[2] );
            require ABSPATH_DIR . '/wp-config.php';
            echo 'wp-config.php did not load wp-settings.php';
            exit( 3 );
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    private StagingConfigCheck() {}

    /**
     * @param root the folder holding the staging wp-config.php to check (staging, or the copy being built)
     * @return setting to "is X, must be Y" for every setting WordPress would not take from Stageguard
     */
    public static Map<String, String> mismatches(
            WordPressPhp php, Path root, SiteEnvironment staging, String accessSha256) throws IOException {
        Map<String, String> expected = new LinkedHashMap<>(StagingConfigWriter.isolation(staging, accessSha256));
        String out = php.run(
                root,
                staging.baseUrl(),
                staging.phpRuntime(),
                LOAD_CONFIG,
                SETTINGS_PRINTER,
                JSON.writeValueAsString(expected.keySet()));
        int start = out.lastIndexOf("--stageguard-settings--");
        if (start < 0) throw new IOException("staging's wp-config.php printed no settings: " + out.strip());
        JsonNode seen = JSON.readTree(
                out.substring(start + "--stageguard-settings--".length()).strip());
        expected.put("$table_prefix", staging.database().tablePrefix());
        expected.put("WP_CACHE", "false");
        Map<String, String> mismatches = new LinkedHashMap<>();
        expected.forEach((name, value) -> {
            JsonNode actual = seen.path(name);
            if (name.equals("WP_CACHE") && actual.isNull()) return;
            if (actual.isMissingNode() || actual.isNull() || !actual.asText().equals(value)) {
                String shown = name.equals("STAGEGUARD_ACCESS_SHA256")
                        ? "(another credential hash)"
                        : "'" + (actual.isNull() ? "undefined" : actual.asText()) + "'";
                mismatches.put(name, "WordPress on staging would use " + shown + " instead of '" + value + "'");
            }
        });
        return mismatches;
    }
}
