package io.stageguard.clone;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One rule for keeping personal data out of staging: every non-empty {@code column} of
 * {@code table} (named without the table prefix) becomes {@code value}, where {@code {key}} stands
 * for the row's {@code keyColumn}, so replaced emails stay unique and logins keep working. With
 * {@code whereColumn}/{@code whereValue} the rule touches only matching rows (one usermeta key,
 * one option).
 */
public record SanitizeRule(
        String table, String column, String value, String keyColumn, String whereColumn, String whereValue) {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_]{1,64}");

    /** Safe defaults: users, their names, commenters and the site's contact address. Passwords and logins are kept. */
    public static final List<SanitizeRule> DEFAULTS = List.of(
            new SanitizeRule("users", "user_email", "user-{key}@example.invalid", "ID", null, null),
            new SanitizeRule("users", "display_name", "User {key}", "ID", null, null),
            new SanitizeRule("users", "user_url", "", null, null, null),
            new SanitizeRule("usermeta", "meta_value", "User {key}", "user_id", "meta_key", "nickname"),
            new SanitizeRule("usermeta", "meta_value", "", null, "meta_key", "first_name"),
            new SanitizeRule("usermeta", "meta_value", "", null, "meta_key", "last_name"),
            new SanitizeRule("usermeta", "meta_value", "", null, "meta_key", "description"),
            new SanitizeRule(
                    "comments", "comment_author_email", "commenter-{key}@example.invalid", "comment_ID", null, null),
            new SanitizeRule("comments", "comment_author_IP", "0.0.0.0", null, null, null),
            new SanitizeRule("options", "option_value", "admin@example.invalid", null, "option_name", "admin_email"),
            new SanitizeRule(
                    "options", "option_value", "admin@example.invalid", null, "option_name", "new_admin_email"));

    public SanitizeRule {
        for (String id : new String[] {table, column}) {
            if (id == null || !IDENTIFIER.matcher(id).matches())
                throw new IllegalArgumentException("sanitize rule: bad table or column name '" + id + "'");
        }
        if (value == null) value = "";
        if (value.contains("{key}")
                && (keyColumn == null || !IDENTIFIER.matcher(keyColumn).matches())) {
            throw new IllegalArgumentException(
                    "sanitize rule for " + table + "." + column + ": {key} needs a keyColumn");
        }
        if (whereColumn != null && !IDENTIFIER.matcher(whereColumn).matches()) {
            throw new IllegalArgumentException(
                    "sanitize rule for " + table + "." + column + ": bad whereColumn '" + whereColumn + "'");
        }
    }

    public String describe() {
        return table + "." + column + (whereColumn == null ? "" : " where " + whereColumn + " = " + whereValue);
    }
}
