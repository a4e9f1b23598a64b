package io.stageguard.clone;

import io.stageguard.site.SiteEnvironment;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns live's wp-config.php into staging's: staging's own database and URLs, the environment
 * type WordPress and plugins use to behave as non-production, debug logging on, fresh secret keys
 * (a staging copy must not be able to forge live's cookies), cron and outgoing HTTP off unless
 * asked for, and the hash of the credential the staging guard accepts. Everything else in live's
 * file (custom constants) is kept so staging runs the same code paths.
 */
public final class StagingConfigWriter {
    private static final Pattern TABLE_PREFIX = Pattern.compile("\\$table_prefix\\s*=\\s*['\"][^'\"]*['\"]\\s*;");

    private StagingConfigWriter() {}

    /** A constant's value: a quoted string (which may hold ");" as live's salts do) or a bare expression. */
    private static final String PHP_VALUE = "(?:'(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"|[^;'\"]*?)";

    private static final String[] SECRET_KEYS = {
        "AUTH_KEY",
        "SECURE_AUTH_KEY",
        "LOGGED_IN_KEY",
        "NONCE_KEY",
        "AUTH_SALT",
        "SECURE_AUTH_SALT",
        "LOGGED_IN_SALT",
        "NONCE_SALT"
    };
    private static final String KEY_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&()*+,-./:;<=>?@[]^_{|}~";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * @param accessSha256 SHA-256 of the credential Stageguard presents to the staging guard
     * @param cron         whether WordPress cron may run on staging
     * @param outgoingHttp whether staging's WordPress may call other hosts
     */
    public static String stagingConfig(
            String liveConfig, SiteEnvironment staging, String accessSha256, boolean cron, boolean outgoingHttp) {
        Map<String, String> constants = new LinkedHashMap<>();
        isolation(staging, accessSha256).forEach((name, value) -> constants.put(name, php(value)));
        constants.put("DB_PASSWORD", php(staging.database().secret()));
        constants.put("WP_ENVIRONMENT_TYPE", php("staging"));
        // WP_DEBUG_LOG only takes effect with WP_DEBUG; QA reads the log for warnings the release brought in
        constants.put("WP_DEBUG", "true");
        constants.put("WP_DEBUG_LOG", "true");
        constants.put("WP_DEBUG_DISPLAY", "false");
        constants.put("DISABLE_WP_CRON", cron ? "false" : "true");
        constants.put("WP_HTTP_BLOCK_EXTERNAL", outgoingHttp ? "false" : "true");
        // a page-cache drop-in runs before any plugin, so before the guard: pages it kept would reach anyone
        constants.put("WP_CACHE", "false");
        for (String key : SECRET_KEYS) constants.put(key, php(freshKey()));
        String config = liveConfig;
        StringBuilder missing = new StringBuilder();
        for (Map.Entry<String, String> c : constants.entrySet()) {
            Pattern define = Pattern.compile(
                    "define\\s*\\(\\s*['\"]" + c.getKey() + "['\"]\\s*,\\s*" + PHP_VALUE + "\\s*\\)\\s*;");
            String replacement = "define( '" + c.getKey() + "', " + c.getValue() + " );";
            Matcher m = define.matcher(config);
            if (m.find()) {
                config = m.replaceAll(Matcher.quoteReplacement(replacement));
            } else {
                missing.append(replacement).append('\n');
            }
        }
        config = TABLE_PREFIX
                .matcher(config)
                .replaceFirst(Matcher.quoteReplacement(
                        "$table_prefix = " + php(staging.database().tablePrefix()) + ";"));
        int anchor = anchor(config);
        return config.substring(0, anchor) + "/* Stageguard: staging settings */\n" + missing
                + config.substring(anchor);
    }

    /**
     * The settings that keep staging away from live: its database, URLs and guard credential, and
     * cache keys of its own, so a persistent object cache (Redis, Memcached) shared with live keeps
     * the two sites' entries apart. After writing, {@link StagingConfigCheck} asks staging's PHP for
     * the values WordPress really uses and compares them with these.
     */
    static Map<String, String> isolation(SiteEnvironment staging, String accessSha256) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("DB_NAME", staging.database().name());
        settings.put("DB_USER", staging.database().user());
        settings.put("DB_HOST", staging.database().wordpressHost());
        settings.put("WP_HOME", staging.baseUrl());
        settings.put("WP_SITEURL", staging.baseUrl());
        settings.put("STAGEGUARD_ACCESS_SHA256", accessSha256);
        String cacheKeys = "stageguard-staging-" + accessSha256.substring(0, 16) + ":";
        settings.put("WP_CACHE_KEY_SALT", cacheKeys);
        settings.put("WP_REDIS_PREFIX", cacheKeys);
        return settings;
    }

    /** Constants must be defined before wp-settings.php loads. */
    private static int anchor(String config) {
        int marker = config.indexOf("/* That's all, stop editing!");
        if (marker >= 0) return marker;
        int settings = config.indexOf("require_once");
        if (settings >= 0 && config.indexOf("wp-settings.php", settings) >= 0)
            return config.lastIndexOf('\n', settings) + 1;
        throw new IllegalStateException(
                "live wp-config.php does not load wp-settings.php; cannot write staging settings");
    }

    private static String freshKey() {
        StringBuilder key = new StringBuilder(64);
        for (int i = 0; i < 64; i++) key.append(KEY_ALPHABET.charAt(RANDOM.nextInt(KEY_ALPHABET.length())));
        return key.toString();
    }

    static String php(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
