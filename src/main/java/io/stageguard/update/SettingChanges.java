package io.stageguard.update;

import com.fasterxml.jackson.databind.JsonNode;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.wordpress.WordPressPhp;
import io.stageguard.wordpress.WordPressTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Changes that set a value instead of installing code: a WordPress option
 * ({@code update_option()} through the site's PHP) or a constant in {@code wp-config.php} (its
 * {@code define()} replaced, or added right before {@code wp-settings.php} is loaded; the file
 * written beside and renamed into place). The same on staging and live; on live the backup holds
 * the options table and {@code wp-config.php}, so a rollback puts both back. Settings that would
 * point a site elsewhere or undo what Stageguard relies on cannot be changed this way.
 */
@Component
public class SettingChanges {
    private static final Pattern OPTION_NAME = Pattern.compile("[a-z0-9_][a-z0-9_.-]{0,190}");
    private static final Pattern CONSTANT_NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,63}");
    /** Options that move the site, its people or its code, or that Stageguard sets on staging itself. */
    private static final List<String> REFUSED_OPTIONS = List.of(
            "siteurl",
            "home",
            "admin_email",
            "new_admin_email",
            "active_plugins",
            "template",
            "stylesheet",
            "db_version",
            "cron",
            "blog_public",
            "users_can_register",
            "default_role",
            "upload_path",
            "upload_url_path");
    /** Constants that point WordPress at other data, keys or places, or that staging's configuration owns. */
    private static final Pattern REFUSED_CONSTANTS = Pattern.compile(
            "DB_.*|ABSPATH|WP_HOME|WP_SITEURL|WP_CONTENT_(DIR|URL)|WP_PLUGIN_(DIR|URL)|WPMU_PLUGIN_(DIR|URL)"
                    + "|UPLOADS|.*_(KEY|SALT)|WP_CACHE|COOKIE.*|.*_COOKIE|MULTISITE|WP_ALLOW_MULTISITE|SUNRISE|WP_TEMP_DIR|FS_METHOD|FTP_.*|DISABLE_WP_CRON|WP_ENVIRONMENT_TYPE");

    private static final Pattern LOADS_SETTINGS = Pattern.compile("(?m)^.*wp-settings\\.php.*$");
    private static final String SET_OPTION = """
            require ABSPATH_DIR . '/wp-load.php';
            update_option( $argv[1], $argv[2] );
            echo get_option( $argv[1] );
            """;

    private final WordPressPhp php;

    public SettingChanges(WordPressPhp php) {
        this.php = php;
    }

    /**
     * The value as the site will hold it: for an option the text {@code get_option()} answers
     * (true is "1", false "0"), for a constant the PHP literal {@code var_export()} writes
     * ({@code true}, {@code 64}, {@code 'text'}).
     */
    public static String render(ChangeType type, JsonNode value) {
        if (value.isBoolean())
            return type == ChangeType.OPTION ? (value.asBoolean() ? "1" : "0") : String.valueOf(value.asBoolean());
        if (value.isIntegralNumber()) return value.asText();
        if (type == ChangeType.OPTION) return value.asText();
        return "'" + value.asText().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** What is wrong with a setting change, or null. */
    static String problem(Change change) {
        if (change.name() == null) return "name: is required for an " + change.type() + " change";
        if (change.type() == ChangeType.OPTION) {
            if (!OPTION_NAME.matcher(change.name()).matches())
                return "name: must be an option name: lower-case letters, digits, '_', '.' or '-'";
            if (REFUSED_OPTIONS.contains(change.name()))
                return "name: the option " + change.name() + " cannot be changed by a release";
        } else {
            if (!CONSTANT_NAME.matcher(change.name()).matches())
                return "name: must be a constant name: upper-case letters, digits and '_'";
            if (REFUSED_CONSTANTS.matcher(change.name()).matches())
                return "name: the constant " + change.name() + " cannot be changed by a release";
        }
        JsonNode value = change.value();
        if (value == null || !(value.isTextual() || value.isBoolean() || value.isIntegralNumber())) {
            return "value: must be a string, an integer or true/false";
        }
        if (change.version().length() > 64) return "value: must be at most 64 characters";
        if (change.packagePath() != null || change.git() != null) return "package: a setting has no package";
        return null;
    }

    /** What the site holds now, in the form of {@link #render}; "none" when it does not set it. */
    public static String current(SiteEnvironment env, Change change) throws IOException {
        if (change.type() == ChangeType.CONSTANT) {
            Matcher m = define(change.name())
                    .matcher(Files.readString(env.documentRoot().resolve("wp-config.php"), StandardCharsets.UTF_8));
            return m.find() ? m.group(1).strip() : "none";
        }
        try (Connection c = env.database().open()) {
            c.setReadOnly(true);
            try (PreparedStatement ps = c.prepareStatement("SELECT option_value FROM "
                    + WordPressTables.quote(env.database().tablePrefix() + "options") + " WHERE option_name = ?")) {
                ps.setString(1, change.name());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : "none";
                }
            }
        } catch (SQLException e) {
            throw new IOException("cannot read the option " + change.name() + ": " + e.getMessage(), e);
        }
    }

    /** Sets it on the site at {@code env}; returns how ("option x set to 0", "wp-config.php: X defined as true"). */
    public String apply(SiteEnvironment env, Change change) throws IOException {
        if (change.type() == ChangeType.OPTION) {
            String now = php.run(env, SET_OPTION, change.name(), change.version());
            if (!now.equals(change.version()))
                throw new IOException(
                        "the option " + change.name() + " reads " + now + " after it was set to " + change.version());
            return "option " + change.name() + " set to " + change.version();
        }
        Path config = env.documentRoot().resolve("wp-config.php");
        String text = Files.readString(config, StandardCharsets.UTF_8);
        String line = "define( '" + change.name() + "', " + change.version() + " );";
        Matcher existing = define(change.name()).matcher(text);
        String changed;
        if (existing.find()) {
            changed = text.substring(0, existing.start()) + line + text.substring(existing.end());
        } else {
            Matcher settings = LOADS_SETTINGS.matcher(text);
            if (!settings.find())
                throw new IOException("wp-config.php does not load wp-settings.php where Stageguard can find it; "
                        + change.name() + " was not defined");
            changed = text.substring(0, settings.start()) + line + " // set by a Stageguard release\n"
                    + text.substring(settings.start());
        }
        Path beside = config.resolveSibling(".stageguard-next-wp-config.php");
        Files.writeString(beside, changed, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(beside, Files.getPosixFilePermissions(config));
        } catch (UnsupportedOperationException notPosix) {
            // the rename below keeps whatever the file system gives
        }
        Files.move(beside, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return "wp-config.php: " + change.name() + " defined as " + change.version();
    }

    /** The define() of {@code name}, its value in group 1. */
    private static Pattern define(String name) {
        return Pattern.compile("define\\s*\\(\\s*['\"]" + Pattern.quote(name)
                + "['\"]\\s*,\\s*((?:'(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"|[^;()]*?))\\s*\\)\\s*;");
    }
}
