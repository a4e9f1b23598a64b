package io.stageguard.site;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A secret given by reference, so its value never reaches Stageguard's database: {@code env:NAME}
 * (an environment variable of Stageguard's process) or {@code file:/path} (a file's first line).
 */
public final class SecretRef {
    public static final Pattern FORM = Pattern.compile("(env:[A-Za-z_][A-Za-z0-9_]*|file:/\\S+)");
    public static final String FORM_TEXT = "must be env:NAME or file:/absolute/path";

    private SecretRef() {}

    /** The value itself when there is no reference; else what the reference names. Empty when neither is given. */
    public static String resolve(String value, String ref) {
        if (ref == null) return value == null ? "" : value;
        if (ref.startsWith("env:")) {
            String found = System.getenv(ref.substring(4));
            if (found == null)
                throw new IllegalStateException(
                        "the environment variable " + ref.substring(4) + " named by " + ref + " is not set");
            return found;
        }
        if (ref.startsWith("file:")) {
            try {
                return Files.readAllLines(Path.of(ref.substring(5)), StandardCharsets.UTF_8).stream()
                        .findFirst()
                        .orElse("");
            } catch (IOException e) {
                throw new IllegalStateException(
                        "cannot read the secret file named by " + ref + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("a secret reference " + FORM_TEXT);
    }

    /** A secret is given either as its value or as a reference, never both; one of them is required. */
    public static void check(
            String valueField, String value, String refField, String ref, java.util.Map<String, String> errors) {
        if (ref != null && !FORM.matcher(ref).matches()) errors.put(refField, FORM_TEXT);
        else if (ref != null && value != null) errors.put(valueField, "give either the value or a reference, not both");
        else if (ref == null && (value == null || value.isBlank()))
            errors.put(valueField, "is required (or give " + refField + ")");
    }
}
