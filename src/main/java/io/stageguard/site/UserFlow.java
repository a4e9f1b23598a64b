package io.stageguard.site;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/** A declarative user flow, such as "post a comment": steps a browser takes on staging, and what it must then see. */
public record UserFlow(String name, List<Step> steps) {
    public UserFlow {
        // nulls are kept (not thrown on) so that SiteValidator can name the step that is null
        steps = steps == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(steps));
    }

    /**
     * One step. {@code visit} needs {@code path}; {@code fill} and {@code select} need
     * {@code selector} and {@code value}; {@code click} and {@code submit} need {@code selector};
     * {@code expectText} needs {@code text} (in the page's visible text); {@code expectUrl} needs
     * {@code text} (part of the current URL); {@code expectElement} needs {@code selector};
     * {@code expectMail} needs {@code text} (in the subject or body of a mail staging captured
     * during this flow). A step marked {@code secret} (a password typed into a login form) has its
     * value shown as asterisks in reports, API answers and history.
     */
    public record Step(String action, String path, String selector, String value, String text, boolean secret) {
        private static final String MASK = "******";

        public static final Set<String> ACTIONS = Set.of(
                "visit", "fill", "select", "click", "submit", "expectText", "expectUrl", "expectElement", "expectMail");

        /** What is wrong with this step, or null. */
        public String problem() {
            if (action == null || !ACTIONS.contains(action)) return "action must be one of " + ACTIONS;
            return switch (action) {
                case "visit" -> path == null || !path.startsWith("/") ? "visit needs a path starting with /" : null;
                case "fill", "select" -> blank(selector) || value == null ? action + " needs selector and value" : null;
                case "click", "submit", "expectElement" -> blank(selector) ? action + " needs a selector" : null;
                default -> blank(text) ? action + " needs text" : null;
            };
        }

        /** The value as people may see it. */
        public String shownValue() {
            return secret ? MASK : value;
        }

        /** The step as API answers show it: a secret value masked. */
        public Step masked() {
            return secret ? new Step(action, path, selector, MASK, text, true) : this;
        }

        public String describe() {
            return switch (action) {
                case "visit" -> "visit " + path;
                case "fill" -> "fill " + selector + " with \"" + shownValue() + "\"";
                case "select" -> "select \"" + shownValue() + "\" in " + selector;
                case "click", "submit" -> action + " " + selector;
                case "expectElement" -> "expect element " + selector;
                case "expectUrl" -> "expect the URL to contain \"" + text + "\"";
                case "expectMail" -> "expect a captured mail containing \"" + text + "\"";
                default -> "expect text \"" + text + "\"";
            };
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank();
        }
    }
}
