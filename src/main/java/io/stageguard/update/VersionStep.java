package io.stageguard.update;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How far an update moves a package, read as semantic versions (1.2.3): the risk a step carries. */
public enum VersionStep {
    /** the site had no such package: new code on the site */
    NEW,
    SAME,
    PATCH,
    MINOR,
    MAJOR,
    /** to a lower version */
    DOWNGRADE,
    /** one of the versions is not semver-like (1.2.3, 1.2, 1) */
    UNKNOWN;

    public static VersionStep between(String from, String to) {
        if (from == null || from.equals("none")) return NEW;
        int[] a = parse(from);
        int[] b = parse(to);
        if (a == null || b == null) return UNKNOWN;
        for (int i = 0; i < 3; i++) {
            if (a[i] == b[i]) continue;
            if (b[i] < a[i]) return DOWNGRADE;
            return i == 0 ? MAJOR : i == 1 ? MINOR : PATCH;
        }
        return SAME;
    }

    private static int[] parse(String version) {
        if (version == null || !version.trim().matches("\\d+(\\.\\d+){0,2}")) return null;
        String[] parts = version.trim().split("\\.");
        int[] numbers = new int[3];
        for (int i = 0; i < parts.length; i++) numbers[i] = Integer.parseInt(parts[i]);
        return numbers;
    }

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
