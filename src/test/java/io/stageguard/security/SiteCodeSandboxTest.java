package io.stageguard.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stageguard.site.PhpProperties;
import io.stageguard.wordpress.SiteCodeSandbox;
import io.stageguard.wordpress.WordPressPhp;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What PHP that loads a site's code can reach when Stageguard runs it (ADR 11), tried from inside
 * with the calls a hostile plugin would make: Stageguard's environment, its data folder (the secret
 * key, the H2 database), live's root beside staging's, Stageguard's own command line in
 * {@code /proc}. Only staging's root is there, as the unprivileged user it belongs to.
 */
class SiteCodeSandboxTest {
    /** The tries, each answering what it got; false where the call failed. */
    private static final String NOSY = """
            $targets = json_decode( $argv[1], true );
            $parent = @file_get_contents( '/proc/' . posix_getppid() . '/cmdline' );
            echo json_encode( array(
                'environment' => array_keys( getenv() ),
                'uid' => posix_geteuid(),
                'secretKey' => @file_get_contents( $targets['secretKey'] ),
                'database' => @file_get_contents( $targets['database'] ),
                'dataFolder' => @scandir( $targets['dataFolder'] ),
                'liveConfig' => @file_get_contents( $targets['liveRoot'] . '/wp-config.php' ),
                'liveWrite' => @file_put_contents( $targets['liveRoot'] . '/owned.php', '<?php // mine' ),
                'processes' => count( array_filter( scandir( '/proc' ), 'is_numeric' ) ),
                'parent' => $parent === false ? false : str_replace( "\\0", ' ', $parent ),
                'stagingWrite' => file_put_contents( ABSPATH_DIR . '/wp-content/cache-of-the-plugin.txt', 'ok' ),
            ) );
            """;

    @TempDir
    Path work;

    Path data;
    Path live;
    Path staging;

    @BeforeEach
    void machine() throws Exception {
        data = Files.createDirectories(work.resolve("stageguard-data/db"));
        Files.writeString(data.getParent().resolve("secret.key"), "the key to every site's secrets");
        Files.writeString(data.resolve("stageguard.mv.db"), "every site's passwords, encrypted");
        Files.setPosixFilePermissions(data.getParent(), PosixFilePermissions.fromString("rwx------"));
        live = Files.createDirectories(work.resolve("live"));
        Files.writeString(live.resolve("wp-config.php"), "<?php define( 'DB_PASSWORD', 'live-secret' );");
        staging = Files.createDirectories(work.resolve("staging/wp-content"));
        staging = staging.getParent();
        SiteCodeSandbox.handOver(staging);
    }

    @Test
    void stagingCodeReachesNothingOfStageguardsNorLive() throws Exception {
        JsonNode seen = runIn(staging);

        assertThat(seen.get("uid").asInt())
                .as("the sandbox's user, not root")
                .isEqualTo(SiteCodeSandbox.sandboxUser().uid())
                .isNotZero();
        assertThat(seen.get("environment"))
                .extracting(JsonNode::asText)
                .as("nothing of Stageguard's environment")
                .containsExactlyInAnyOrder(
                        "PATH", "LANG", "HOME", "TMPDIR", "PWD", "STAGEGUARD_ABSPATH_DIR", "STAGEGUARD_HTTP_HOST");
        assertThat(seen.get("secretKey").asBoolean()).as("the secret key").isFalse();
        assertThat(seen.get("database").asBoolean()).as("the H2 file").isFalse();
        assertThat(seen.get("dataFolder").asBoolean())
                .as("the data folder's listing")
                .isFalse();
        assertThat(seen.get("liveConfig").asBoolean())
                .as("live's wp-config.php")
                .isFalse();
        assertThat(seen.get("liveWrite").asBoolean())
                .as("a file in live's root")
                .isFalse();
        assertThat(live.resolve("owned.php")).doesNotExist();
        assertThat(seen.get("parent").asBoolean())
                .as("no parent process in sight, so no command line naming the data folder")
                .isFalse();
        assertThat(seen.get("processes").asInt())
                .as("only the sandbox's own processes")
                .isLessThanOrEqualTo(2);
        assertThat(seen.get("stagingWrite").asInt())
                .as("staging's own folder is its to write")
                .isEqualTo(2);
        Path written = staging.resolve("wp-content/cache-of-the-plugin.txt");
        assertThat(Files.getAttribute(written, "unix:uid", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(SiteCodeSandbox.sandboxUser().uid());
    }

    @Test
    void aRootOwnedByAnotherUserRunsAsThatUser() throws Exception {
        Path site = Files.createDirectories(work.resolve("www-site/wp-content"));
        int nobody = 65534; // Debian's nobody: a user that is not root and not the sandbox's
        Files.setAttribute(site.getParent(), "unix:uid", nobody);
        Files.setAttribute(site, "unix:uid", nobody);

        JsonNode seen = runIn(site.getParent());

        assertThat(seen.get("uid").asInt())
                .as("the site's own user, as its web server would run it")
                .isEqualTo(nobody);
        assertThat(seen.get("secretKey").asBoolean()).isFalse();
        assertThat(seen.get("stagingWrite").asInt()).as("its own root").isEqualTo(2);
    }

    private JsonNode runIn(Path root) throws Exception {
        String targets = new ObjectMapper()
                .writeValueAsString(java.util.Map.of(
                        "secretKey",
                        data.getParent().resolve("secret.key").toString(),
                        "database",
                        data.resolve("stageguard.mv.db").toString(),
                        "dataFolder",
                        data.getParent().toString(),
                        "liveRoot",
                        live.toString()));
        String out = new WordPressPhp(PhpProperties.defaults())
                .run(root, "http://127.0.0.1:8080", PhpProperties.DEFAULT_RUNTIME, NOSY, targets);
        return new ObjectMapper().readTree(out);
    }
}
