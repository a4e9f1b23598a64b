package io.stageguard.wordpress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stageguard.site.SiteEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.springframework.stereotype.Component;

/**
 * Reads what a site runs on, from the site itself and without writing to it: the WordPress
 * version from its files, PHP from the PHP binary that runs it (a probe script kept outside the
 * document root), the database server from a read-only connection, active plugins and theme from
 * its options and their headers, drop-ins from wp-content, the web server from its HTTP answer.
 */
@Component
public class SiteInventoryReader {
    /** The drop-ins WordPress loads by file name; each changes how the whole site behaves. */
    private static final List<String> DROP_INS = List.of(
            "advanced-cache.php",
            "object-cache.php",
            "db.php",
            "db-error.php",
            "install.php",
            "maintenance.php",
            "php-error.php",
            "fatal-error-handler.php",
            "sunrise.php");

    private static final Pattern WP_VERSION = Pattern.compile("\\$wp_version\\s*=\\s*'([^']+)'");
    private static final Pattern HEADER_VERSION = Pattern.compile("(?m)^[ \\t/*#@]*Version:\\s*(\\S+)");
    private static final Pattern SERIALIZED_STRING = Pattern.compile("s:\\d+:\"([^\"]*)\";");
    private final PageFetcher fetcher;
    private final WordPressPhp wordPressPhp;
    private final ObjectMapper json = new ObjectMapper();

    public SiteInventoryReader(PageFetcher fetcher, WordPressPhp wordPressPhp) {
        this.fetcher = fetcher;
        this.wordPressPhp = wordPressPhp;
    }

    /** Item name to value, in a stable order. {@code headers} get a request past the staging guard. */
    public Map<String, String> read(SiteEnvironment env, Map<String, String> headers) throws IOException, SQLException {
        Map<String, String> items = new LinkedHashMap<>();
        items.put("wordpress.version", wordpressVersion(env.documentRoot()));
        JsonNode php = php(env);
        String phpVersion = php.path("version").asText();
        items.put("php.version", phpVersion);
        items.put("php.minorVersion", phpVersion.replaceFirst("^(\\d+\\.\\d+).*$", "$1"));
        items.put(
                "php.extensions",
                String.join(
                        ", ",
                        StreamSupport.stream(php.path("extensions").spliterator(), false)
                                .map(JsonNode::asText)
                                .toList()));
        php.path("ini")
                .fields()
                .forEachRemaining(
                        e -> items.put("php.ini." + e.getKey(), e.getValue().asText()));
        try (Connection c = env.database().open()) {
            c.setReadOnly(true);
            items.put("database.server", scalar(c, "SELECT VERSION()"));
            items.put(
                    "database.charset",
                    scalar(
                            c,
                            "SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()"));
            items.put(
                    "database.collation",
                    scalar(
                            c,
                            "SELECT DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()"));
            String options = env.database().tablePrefix() + "options";
            items.put(
                    "plugins.active",
                    activePlugins(env.wpContent(), WordPressTables.option(c, options, "active_plugins")));
            String stylesheet = WordPressTables.option(c, options, "stylesheet");
            String template = WordPressTables.option(c, options, "template");
            items.put(
                    "theme.active",
                    theme(env.wpContent(), stylesheet)
                            + (template == null || template.equals(stylesheet)
                                    ? ""
                                    : " (child of " + theme(env.wpContent(), template) + ")"));
        }
        List<String> dropIns = DROP_INS.stream()
                .filter(f -> Files.isRegularFile(env.wpContent().resolve(f)))
                .toList();
        items.put("wordpress.dropIns", dropIns.isEmpty() ? "none" : String.join(", ", dropIns));
        items.put("webServer", webServer(env, headers));
        return items;
    }

    /** The WordPress version the files at {@code root} carry (wp-includes/version.php). */
    public static String wordpressVersion(Path root) throws IOException {
        Path file = root.resolve("wp-includes/version.php");
        if (!Files.isRegularFile(file)) return "not installed";
        Matcher m = WP_VERSION.matcher(Files.readString(file, StandardCharsets.ISO_8859_1));
        return m.find() ? m.group(1) : "unknown";
    }

    private JsonNode php(SiteEnvironment env) throws IOException {
        String probe;
        try (InputStream in = SiteInventoryReader.class.getResourceAsStream("/site/php-probe.php")) {
            probe = new String(
                    Objects.requireNonNull(in, "php-probe.php missing from the classpath")
                            .readAllBytes(),
                    StandardCharsets.UTF_8);
        }
        try {
            return json.readTree(wordPressPhp.run(env, probe.replaceFirst("^<\\?php\\s*", "")));
        } catch (IOException e) {
            throw new IOException(
                    "PHP runtime '" + env.phpRuntime() + "' failed to run the parity probe: " + e.getMessage(), e);
        }
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String activePlugins(Path wpContent, String serialized) throws IOException {
        List<String> plugins = new ArrayList<>();
        Matcher m = SERIALIZED_STRING.matcher(serialized == null ? "" : serialized);
        while (m.find()) {
            plugins.add(m.group(1) + " "
                    + headerVersion(wpContent.resolve("plugins").resolve(m.group(1))));
        }
        plugins.sort(null);
        return plugins.isEmpty() ? "none" : String.join(", ", plugins);
    }

    private static String theme(Path wpContent, String slug) throws IOException {
        if (slug == null) return "none";
        return slug + " "
                + headerVersion(wpContent.resolve("themes").resolve(slug).resolve("style.css"));
    }

    private static String headerVersion(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return "(missing)";
        try (InputStream in = Files.newInputStream(file)) {
            // WordPress itself reads only the first 8 KiB of a file for its headers
            Matcher m = HEADER_VERSION.matcher(new String(in.readNBytes(8192), StandardCharsets.UTF_8));
            return m.find() ? m.group(1) : "(no version)";
        }
    }

    private String webServer(SiteEnvironment env, Map<String, String> headers) {
        try {
            PageFetcher.Page page = fetcher.get(env.url("/"), headers);
            String server = page.header("Server");
            if (server != null) return server;
            String poweredBy = page.header("X-Powered-By");
            return poweredBy == null ? "unknown (no Server header)" : "no Server header; X-Powered-By " + poweredBy;
        } catch (IOException e) {
            return "unreachable: " + e.getMessage();
        }
    }
}
