package io.stageguard.demo;

import io.stageguard.site.DatabaseConnection;
import io.stageguard.site.PhpProperties;
import io.stageguard.wordpress.WordPressPhp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * WordPress from Debian's package, laid out as a standalone site and served by PHP's built-in
 * server on 127.0.0.1. Debian's tree is mostly symlinks into /etc and /usr/share: it is copied
 * with the links resolved, and gets a wp-config.php of its own.
 */
public final class LocalWordPress {
    private static final Path DEBIAN_WORDPRESS = Path.of("/usr/share/wordpress");

    private LocalWordPress() {}

    /** A PHP built-in web server serving one document root. */
    public static final class PhpServer implements AutoCloseable {
        private final Process process;
        private final int port;

        private PhpServer(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        public String baseUrl() {
            return "http://127.0.0.1:" + port;
        }

        public int port() {
            return port;
        }

        @Override
        public void close() {
            Processes.stop(process);
        }
    }

    /** Copies WordPress into {@code documentRoot}, configures it for {@code db} and {@code baseUrl}, and installs it. */
    public static void install(
            Path documentRoot, String baseUrl, DatabaseConnection db, String title, String adminPassword)
            throws IOException {
        if (!Files.isRegularFile(DEBIAN_WORDPRESS.resolve("wp-load.php"))) {
            throw new IOException(
                    "Debian's wordpress package is not installed (no " + DEBIAN_WORDPRESS + "/wp-load.php)");
        }
        Files.createDirectories(documentRoot.getParent());
        Processes.run(List.of("cp", "-rL", DEBIAN_WORDPRESS.toString(), documentRoot.toString()), null);
        Files.deleteIfExists(documentRoot.resolve("wp-config.php"));
        Files.deleteIfExists(documentRoot.resolve(".htaccess"));
        Files.writeString(documentRoot.resolve("wp-config.php"), config(baseUrl, db), StandardCharsets.UTF_8);
        php(documentRoot, baseUrl, """
                define('WP_INSTALLING', true);
                require ABSPATH_DIR . '/wp-load.php';
                require_once ABSPATH . 'wp-admin/includes/upgrade.php';
                $result = wp_install($argv[1], 'admin', 'admin@example.invalid', true, '', $argv[2]);
                update_option('permalink_structure', '/%postname%/');
                echo 'installed ', $result['user_id'], "\\n";
                """, title, adminPassword);
    }

    /** Runs PHP with WordPress's document root and host set up the way a web request would have them. */
    public static String php(Path documentRoot, String baseUrl, String code, String... args) throws IOException {
        return new WordPressPhp(PhpProperties.defaults())
                .run(documentRoot, baseUrl, PhpProperties.DEFAULT_RUNTIME, code, args);
    }

    public static PhpServer serve(Path documentRoot, int port) throws IOException {
        Files.createDirectories(documentRoot);
        // the built-in server caches compiled PHP and by default rechecks files only every 2 s, so a plugin
        // swapped in just before a request could still run in its old version
        // a router in place of WordPress's .htaccess rules: what is not a file or folder goes to index.php
        // (wp-sitemap.xml, for one); it lives beside the document root, never in it
        Path router = documentRoot.resolveSibling(documentRoot.getFileName() + "-router.php");
        Files.writeString(router, """
                <?php
                $path = parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );
                if ( file_exists( $_SERVER['DOCUMENT_ROOT'] . $path ) ) {
                	return false;
                }
                $_SERVER['SCRIPT_NAME'] = '/index.php';
                $_SERVER['SCRIPT_FILENAME'] = $_SERVER['DOCUMENT_ROOT'] . '/index.php';
                chdir( $_SERVER['DOCUMENT_ROOT'] );
                require $_SERVER['DOCUMENT_ROOT'] . '/index.php';
                """, StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder(
                        "php",
                        "-d",
                        "opcache.revalidate_freq=0",
                        "-S",
                        "127.0.0.1:" + port,
                        "-t",
                        documentRoot.toString(),
                        router.toString())
                .redirectErrorStream(true)
                .redirectOutput(documentRoot
                        .resolveSibling(documentRoot.getFileName() + "-php-server.log")
                        .toFile());
        // several workers: a browser loads a page and its assets at once
        pb.environment().put("PHP_CLI_SERVER_WORKERS", "4");
        Process process = pb.start();
        PhpServer server = new PhpServer(process, port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        Processes.awaitPort(process, port, Duration.ofSeconds(20), "php -S");
        return server;
    }

    public static int freePort() throws IOException {
        return Processes.freePort();
    }

    private static String config(String baseUrl, DatabaseConnection db) {
        StringBuilder salts = new StringBuilder();
        for (String key : new String[] {
            "AUTH_KEY",
            "SECURE_AUTH_KEY",
            "LOGGED_IN_KEY",
            "NONCE_KEY",
            "AUTH_SALT",
            "SECURE_AUTH_SALT",
            "LOGGED_IN_SALT",
            "NONCE_SALT"
        }) {
            salts.append("define( '")
                    .append(key)
                    .append("', '")
                    .append(java.util.UUID.randomUUID())
                    .append("' );\n");
        }
        return "<?php\n"
                + "define( 'DB_NAME', " + quote(db.name()) + " );\n"
                + "define( 'DB_USER', " + quote(db.user()) + " );\n"
                + "define( 'DB_PASSWORD', " + quote(db.password()) + " );\n"
                + "define( 'DB_HOST', " + quote(db.wordpressHost()) + " );\n"
                + "define( 'DB_CHARSET', 'utf8mb4' );\n"
                + "define( 'DB_COLLATE', '' );\n"
                + salts
                + "define( 'WP_HOME', " + quote(baseUrl) + " );\n"
                + "define( 'WP_SITEURL', " + quote(baseUrl) + " );\n"
                + "define( 'WP_DEBUG', false );\n"
                + "define( 'AUTOMATIC_UPDATER_DISABLED', true );\n"
                + "define( 'DISABLE_WP_CRON', true );\n"
                + "$table_prefix = " + quote(db.tablePrefix()) + ";\n"
                + "/* That's all, stop editing! Happy publishing. */\n"
                + "if ( ! defined( 'ABSPATH' ) ) {\n\tdefine( 'ABSPATH', __DIR__ . '/' );\n}\n"
                + "require_once ABSPATH . 'wp-settings.php';\n";
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
