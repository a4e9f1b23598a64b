package io.stageguard.update;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

/** Checks a change set before any of it is applied; every problem is named by its field. */
public final class ChangeSetValidator {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    private ChangeSetValidator() {
    }

    public static Map<String, String> problems(List<Change> changes) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (changes == null || changes.isEmpty()) {
            errors.put("changes", "must list at least one change");
            return errors;
        }
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            String at = "changes[" + i + "]";
            if (c == null) {
                errors.put(at, "is empty");
                continue;
            }
            if (c.type() == null) errors.put(at + ".type", "must be plugin or theme");
            if (c.slug() == null || !SLUG.matcher(c.slug()).matches() || c.slug().contains("..")) {
                errors.put(at + ".slug", "must be a folder name: lower-case letters, digits, '.', '_' or '-', no '/' or '..'");
            }
            if (c.version() != null && (c.version().length() > 64 || c.version().isBlank())) {
                errors.put(at + ".version", "must be 1-64 characters");
            }
            if (c.packagePath() == null || c.packagePath().isBlank()) {
                errors.put(at + ".package", "is required");
            } else if (c.packagePath().length() > 1000) {
                errors.put(at + ".package", "must be at most 1000 characters");
            } else {
                String problem = packageProblem(Path.of(c.packagePath()));
                if (problem != null) errors.put(at + ".package", problem);
            }
        }
        return errors;
    }

    private static String packageProblem(Path zip) {
        if (!zip.isAbsolute()) return "must be an absolute path";
        if (!Files.isRegularFile(zip)) return "no such file: " + zip;
        try (ZipFile file = new ZipFile(zip.toFile())) {
            return ZipLimits.problem(file);
        } catch (IOException e) {
            return "is not a readable zip file: " + zip;
        }
    }
}
