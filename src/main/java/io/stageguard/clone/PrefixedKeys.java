package io.stageguard.clone;

/**
 * WordPress stores some keys with the table prefix in them: the {@code {prefix}user_roles} option
 * and user meta such as {@code {prefix}capabilities} and {@code {prefix}user_level}. When staging
 * uses another prefix these must follow, or nobody (admins included) has any role on staging.
 */
final class PrefixedKeys {
    private final String livePrefix;
    private final String stagingPrefix;

    PrefixedKeys(String livePrefix, String stagingPrefix) {
        this.livePrefix = livePrefix;
        this.stagingPrefix = stagingPrefix;
    }

    /** The column of a table (named without prefix) whose values may carry the prefix; null when none does or prefixes agree. */
    Column forTable(String unprefixedTable) {
        if (livePrefix.equals(stagingPrefix)) return null;
        return switch (unprefixedTable) {
            case "options" ->
                new Column(
                        "option_name",
                        key -> key.equals(livePrefix + "user_roles") ? stagingPrefix + "user_roles" : key);
            case "usermeta" ->
                new Column(
                        "meta_key",
                        key -> key.startsWith(livePrefix) ? stagingPrefix + key.substring(livePrefix.length()) : key);
            default -> null;
        };
    }

    record Column(String name, java.util.function.UnaryOperator<String> renamer) {
        String rename(String key) {
            return renamer.apply(key);
        }
    }
}
