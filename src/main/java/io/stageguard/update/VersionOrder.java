package io.stageguard.update;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Orders versions as PHP's {@code version_compare()} does, which is how WordPress decides whether a
 * requirement is met or a version is newer: "6.5.5" > "6.5" > "6.5-RC3" > "6.5-beta1", "10.11.6" > "5.5.5".
 */
public final class VersionOrder {
    private VersionOrder() {}

    /** Negative, zero or positive as {@code a} is older than, equal to or newer than {@code b}. */
    public static int compare(String a, String b) {
        List<String> x = parts(a);
        List<String> y = parts(b);
        for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
            // a missing part counts as less than a number and more than a pre-release word, as in PHP ("1.0" < "1.0.1",
            // "1.0" > "1.0-RC1")
            String p = i < x.size() ? x.get(i) : null;
            String q = i < y.size() ? y.get(i) : null;
            int c = Integer.compare(rank(p), rank(q));
            if (c == 0 && p != null && q != null && isNumber(p) && isNumber(q))
                c = Long.compare(Long.parseLong(p), Long.parseLong(q));
            if (c != 0) return c;
        }
        return 0;
    }

    public static boolean atLeast(String version, String required) {
        return compare(version, required) >= 0;
    }

    private static List<String> parts(String version) {
        List<String> parts = new ArrayList<>();
        String canonical = version.trim()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[-_+]", ".")
                .replaceAll("(?<=\\d)(?=[a-z])|(?<=[a-z])(?=\\d)", ".");
        for (String part : canonical.split("\\.")) if (!part.isEmpty()) parts.add(part);
        return parts;
    }

    private static boolean isNumber(String part) {
        return part.chars().allMatch(Character::isDigit) && part.length() < 19;
    }

    /** PHP's order of special forms: dev < alpha < beta < RC < (nothing) < number < pl. */
    private static int rank(String part) {
        if (part == null) return 4;
        if (isNumber(part)) return 5;
        return switch (part) {
            case "dev" -> 0;
            case "alpha", "a" -> 1;
            case "beta", "b" -> 2;
            case "rc", "c" -> 3;
            case "pl", "p" -> 6;
            default -> -1;
        };
    }
}
