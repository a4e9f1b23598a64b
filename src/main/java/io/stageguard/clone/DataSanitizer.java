package io.stageguard.clone;

import io.stageguard.wordpress.WordPressTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces personal data in the staging database, set-based (one UPDATE per rule, so a million
 * rows never pass through Stageguard). Rules for tables the site does not have are skipped.
 */
final class DataSanitizer {
    private DataSanitizer() {}

    /** Rows changed per rule, keyed by the rule's description. */
    static Map<String, Long> sanitize(Connection staging, String prefix, List<String> tables, List<SanitizeRule> rules)
            throws SQLException {
        Map<String, Long> changed = new LinkedHashMap<>();
        for (SanitizeRule rule : rules) {
            String table = prefix + rule.table();
            if (!tables.contains(table)) continue;
            String column = WordPressTables.quote(rule.column());
            String[] parts = rule.value().split("\\{key}", -1);
            StringBuilder value = new StringBuilder("?");
            for (int i = 1; i < parts.length; i++) {
                value.append(", ")
                        .append(WordPressTables.quote(rule.keyColumn()))
                        .append(", ?");
            }
            String sql = "UPDATE " + WordPressTables.quote(table) + " SET " + column + " = "
                    + (parts.length == 1 ? "?" : "CONCAT(" + value + ")")
                    + " WHERE " + column + " IS NOT NULL AND " + column + " <> ''"
                    + (rule.whereColumn() == null ? "" : " AND " + WordPressTables.quote(rule.whereColumn()) + " = ?");
            try (PreparedStatement ps = staging.prepareStatement(sql)) {
                int i = 1;
                for (String part : parts) ps.setString(i++, part);
                if (rule.whereColumn() != null) ps.setString(i, rule.whereValue());
                changed.merge(rule.describe(), (long) ps.executeUpdate(), Long::sum);
            }
        }
        return changed;
    }
}
