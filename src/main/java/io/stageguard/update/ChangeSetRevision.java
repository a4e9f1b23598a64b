package io.stageguard.update;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A change set revised the way the revise form offers it to people: changes ticked to drop, and
 * one plugin, theme or core update to add, which replaces the change of the same slug when the set
 * has one (a new version of it). Other systems send the whole set as JSON instead. Problems are
 * named by the form's fields ({@code addedVersion}), so the form can say which one is wrong.
 *
 * <p>Plain fields, not a list with a row per change: Camunda 7.24's Tasklist keeps its Complete
 * button disabled after any edit inside a form-js dynamic list (it counts the error entries that
 * form-js leaves behind for list rows, even empty ones), so a person could not complete it.
 *
 * @param drop  the {@link Change#key()}s of the changes to leave out
 * @param added the change to add or put in place of the one with its slug; null or all blank for none
 */
public record ChangeSetRevision(List<String> drop, Added added) {
    public static final String DROPPED = "droppedChanges";
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._+-]{0,63}");
    private static final Set<ChangeType> ADDABLE = Set.of(ChangeType.PLUGIN, ChangeType.THEME, ChangeType.CORE);

    /** The form's "add or replace a change" fields: {@code addedType}, {@code addedSlug}, {@code addedVersion}, {@code addedPackage}. */
    public record Added(String type, String slug, String version, String packagePath) {
        boolean isEmpty() {
            return blank(type) && blank(slug) && blank(version) && blank(packagePath);
        }

        ChangeType changeType() {
            return ADDABLE.stream()
                    .filter(t -> t.label().equals(type))
                    .findFirst()
                    .orElse(null);
        }

        String key() {
            ChangeType t = changeType();
            return t + " " + (t == ChangeType.CORE ? Change.CORE_SLUG : slug);
        }
    }

    public ChangeSetRevision {
        drop = drop == null ? List.of() : List.copyOf(drop);
        if (added != null && added.isEmpty()) added = null;
    }

    /** The form's choices of changes to drop: label "plugin my-plugin 1.2.0", value its key. */
    public static List<Map<String, String>> choices(List<Change> changes) {
        return changes.stream()
                .map(c -> {
                    Map<String, String> choice = new LinkedHashMap<>();
                    choice.put("label", c.label());
                    choice.put("value", c.key());
                    return choice;
                })
                .toList();
    }

    /** What the fields ask for that cannot be: an unknown change to drop, an added change half filled in, nothing left. */
    public Map<String, String> formProblems(List<Change> current) {
        Map<String, String> problems = new LinkedHashMap<>();
        Set<String> keys =
                new java.util.HashSet<>(current.stream().map(Change::key).toList());
        List<String> unknown = drop.stream().filter(k -> !keys.contains(k)).toList();
        if (!unknown.isEmpty()) problems.put(DROPPED, "names no change of this release: " + unknown);
        if (added != null) {
            ChangeType type = added.changeType();
            if (type == null) problems.put("addedType", "must be plugin, theme or core");
            if (type != ChangeType.CORE && !ChangeSetValidator.isSlug(added.slug()))
                problems.put("addedSlug", "must be the plugin's or theme's folder name");
            if (blank(added.version()) || !VERSION.matcher(added.version()).matches())
                problems.put("addedVersion", "is required: the version the package carries");
            if (blank(added.packagePath()))
                problems.put("addedPackage", "is required: the zip's path on Stageguard's machine");
        }
        if (problems.isEmpty() && revise(current).isEmpty())
            problems.put(DROPPED, "dropping every change leaves nothing to test: abandon the release instead");
        return problems;
    }

    /** The revised set in the current order, the added change in place of the one it replaces or last; after {@link #formProblems} found none. */
    public List<Change> revise(List<Change> current) {
        Change addition = added == null
                ? null
                : new Change(
                        added.changeType(),
                        added.changeType() == ChangeType.CORE ? Change.CORE_SLUG : added.slug(),
                        added.version(),
                        added.packagePath());
        List<Change> revised = new ArrayList<>();
        boolean placed = false;
        for (Change c : current) {
            if (addition != null && c.key().equals(addition.key())) {
                revised.add(addition);
                placed = true;
            } else if (!drop.contains(c.key())) {
                revised.add(c);
            }
        }
        if (addition != null && !placed) revised.add(addition);
        return revised;
    }

    /**
     * The whole check the form gets: its own problems, then the change set validator's on the
     * revised set, where the added change's problems are named by the form's fields.
     */
    public Map<String, String> problems(List<Change> current, PackageFolders folders) {
        Map<String, String> problems = formProblems(current);
        if (!problems.isEmpty()) return problems;
        List<Change> revised = revise(current);
        int addedAt =
                added == null ? -1 : revised.stream().map(Change::key).toList().indexOf(added.key());
        ChangeSetValidator.problems(revised, folders).forEach((field, problem) -> {
            java.util.regex.Matcher m =
                    Pattern.compile("changes\\[(\\d+)]\\.(\\w+).*").matcher(field);
            boolean ofAdded = m.matches() && Integer.parseInt(m.group(1)) == addedAt;
            problems.put(
                    ofAdded
                            ? "added" + Character.toUpperCase(m.group(2).charAt(0))
                                    + m.group(2).substring(1)
                            : field,
                    problem);
        });
        return problems;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
