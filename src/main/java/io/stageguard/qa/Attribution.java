package io.stageguard.qa;

import io.stageguard.update.Change;
import io.stageguard.update.ChangeType;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the code a problem came from by where it lives: a PHP file path or a script URL under
 * {@code wp-content/plugins/<slug>/} belongs to that plugin, under {@code themes/<slug>/} to that
 * theme, under {@code wp-includes} or {@code wp-admin} to WordPress core.
 */
public final class Attribution {
    public static final String BY_PATH = "file path";
    public static final String BY_ONLY_CHANGE = "only change in the set";
    public static final String BY_BISECTION = "bisection";
    /** The culprit search's control (no change applied) shows the problem too: it is not the release's. */
    public static final String PRESENT_BEFORE = "present before the changes (the empty change set shows it too)";

    private static final Pattern COMPONENT = Pattern.compile("/wp-content/(plugins|themes|mu-plugins)/([^/?#\\s]+)");
    private static final Pattern CORE = Pattern.compile("/wp-(includes|admin)/");

    private Attribution() {}

    /** The culprit named by a path or URL mentioned in {@code text}, worded for people, if the text names one. */
    public static Optional<String> culprit(String text, List<Change> changes) {
        if (text == null) return Optional.empty();
        Matcher m = COMPONENT.matcher(text);
        if (m.find()) {
            String kind = m.group(1);
            String slug = m.group(2).replaceAll("\\.php$", "");
            if (kind.equals("mu-plugins")) return Optional.of("must-use plugin " + slug + " (not in this change set)");
            ChangeType type = kind.equals("plugins") ? ChangeType.PLUGIN : ChangeType.THEME;
            return Optional.of(changes.stream()
                    .filter(c -> c.type() == type && c.slug().equals(slug))
                    .map(Change::label)
                    .findFirst()
                    .orElse(type + " " + slug + " (not in this change set)"));
        }
        if (CORE.matcher(text).find()) {
            // core is a culprit of the release only when the release updates it
            return Optional.of(changes.stream()
                    .filter(c -> c.type() == ChangeType.CORE)
                    .map(Change::label)
                    .findFirst()
                    .orElse("WordPress core"));
        }
        return Optional.empty();
    }

    /** Whether a culprit is one of the changes being released. */
    public static boolean inChangeSet(String culprit) {
        return culprit != null && !culprit.endsWith("(not in this change set)") && !culprit.equals("WordPress core");
    }
}
