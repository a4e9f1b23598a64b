package io.stageguard.update;

import io.stageguard.site.SiteEnvironment;
import io.stageguard.wordpress.WordPressTables;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A site's database schema and options at one moment, to tell what applying a change did to them:
 * each table of the site's prefix with its columns (type, null, default) and indexes, and each
 * option by a digest of its value. Transients, cron and the other options WordPress rewrites on
 * every request are left out, so that a difference is the change's.
 */
public record SchemaSnapshot(
        Map<String, Map<String, String>> columns,
        Map<String, Map<String, String>> indexes,
        Map<String, String> options) {
    /** Options that change on their own between two requests. */
    private static final List<String> VOLATILE = List.of(
            "\\_transient\\_%",
            "\\_site\\_transient\\_%",
            "cron",
            "rewrite\\_rules",
            "recently\\_activated",
            "recovery\\_keys",
            "%\\_last\\_run%",
            "%\\_last\\_checked%");

    public static SchemaSnapshot of(SiteEnvironment env) throws IOException {
        String prefix = env.database().tablePrefix();
        try (Connection c = env.database().open()) {
            c.setReadOnly(true);
            Map<String, Map<String, String>> columns = new TreeMap<>();
            Map<String, Map<String, String>> indexes = new TreeMap<>();
            String like = prefix.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + "%";
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT FROM information_schema.COLUMNS "
                            + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE ? ORDER BY TABLE_NAME, ORDINAL_POSITION")) {
                ps.setString(1, like);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        columns.computeIfAbsent(rs.getString(1), t -> new TreeMap<>())
                                .put(
                                        rs.getString(2),
                                        rs.getString(3)
                                                + ("YES".equals(rs.getString(4)) ? " null" : " not null")
                                                + (rs.getString(5) == null ? "" : " default " + rs.getString(5)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) "
                            + "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE ? GROUP BY TABLE_NAME, INDEX_NAME, NON_UNIQUE")) {
                ps.setString(1, like);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        indexes.computeIfAbsent(rs.getString(1), t -> new TreeMap<>())
                                .put(
                                        rs.getString(2),
                                        (rs.getInt(3) == 0 ? "unique " : "") + "(" + rs.getString(4) + ")");
                    }
                }
            }
            Map<String, String> options = new TreeMap<>();
            String table = prefix + "options";
            if (columns.containsKey(table)) {
                StringBuilder sql = new StringBuilder(
                        "SELECT option_name, MD5(option_value) FROM " + WordPressTables.quote(table) + " WHERE 1 = 1");
                for (int i = 0; i < VOLATILE.size(); i++) sql.append(" AND option_name NOT LIKE ?");
                try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                    for (int i = 0; i < VOLATILE.size(); i++) ps.setString(i + 1, VOLATILE.get(i));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) options.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return new SchemaSnapshot(columns, indexes, options);
        } catch (SQLException e) {
            throw new IOException("cannot read the schema of " + env.database() + ": " + e.getMessage(), e);
        }
    }

    /** What differs from {@code before}, line by line ("table wp_x added", "column wp_x.mood added: varchar(20) not null default 'happy'"). */
    public List<String> since(SchemaSnapshot before) {
        List<String> changes = new ArrayList<>();
        for (String table : union(before.columns.keySet(), columns.keySet())) {
            Map<String, String> was = before.columns.get(table);
            Map<String, String> now = columns.get(table);
            if (was == null) {
                changes.add("table " + table + " added (" + String.join(", ", now.keySet()) + ")");
                continue;
            }
            if (now == null) {
                changes.add("table " + table + " dropped");
                continue;
            }
            describe(changes, "column " + table + ".", was, now);
            describe(
                    changes,
                    "index " + table + ".",
                    before.indexes.getOrDefault(table, Map.of()),
                    indexes.getOrDefault(table, Map.of()));
        }
        for (String option : union(before.options.keySet(), options.keySet())) {
            String was = before.options.get(option);
            String now = options.get(option);
            if (was == null) changes.add("option " + option + " added");
            else if (now == null) changes.add("option " + option + " deleted");
            else if (!was.equals(now)) changes.add("option " + option + " changed");
        }
        return changes;
    }

    private static void describe(List<String> changes, String what, Map<String, String> was, Map<String, String> now) {
        for (String name : union(was.keySet(), now.keySet())) {
            String before = was.get(name);
            String after = now.get(name);
            if (before == null) changes.add(what + name + " added: " + after);
            else if (after == null) changes.add(what + name + " dropped");
            else if (!Objects.equals(before, after)) changes.add(what + name + " changed: " + before + " → " + after);
        }
    }

    private static TreeSet<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        TreeSet<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
