package io.stageguard.update;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks a change set before any of it is applied; every problem is named by its field. */
public final class ChangeSetValidator {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    private ChangeSetValidator() {}

    /** Whether {@code slug} is a plain folder name, safe in a path. */
    public static boolean isSlug(String slug) {
        return slug != null && SLUG.matcher(slug).matches() && !slug.contains("..");
    }

    public static Map<String, String> problems(List<Change> changes, PackageFolders folders) {
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
            if (c.type() == null) errors.put(at + ".type", "must be plugin, theme, core, option or constant");
            if (c.type() != null && c.type().isSetting()) {
                String problem = SettingChanges.problem(c);
                if (problem != null)
                    errors.put(
                            at + "." + problem.substring(0, problem.indexOf(':')),
                            problem.substring(problem.indexOf(':') + 2));
                continue;
            }
            if (c.type() == ChangeType.CORE && !Change.CORE_SLUG.equals(c.slug())) {
                errors.put(at + ".slug", "must be left out or \"" + Change.CORE_SLUG + "\" for a core update");
            } else if (!isSlug(c.slug())) {
                errors.put(
                        at + ".slug",
                        "must be a folder name: lower-case letters, digits, '.', '_' or '-', no '/' or '..'");
            }
            if (c.version() != null && (c.version().length() > 64 || c.version().isBlank())) {
                errors.put(at + ".version", "must be 1-64 characters");
            }
            // a git change's package is built when the change set is accepted ({@link GitPackager}), which reports its
            // own problems
            boolean awaitsGitBuild = c.git() != null && c.packagePath() == null;
            if (awaitsGitBuild) {
                if (c.git().commit() != null)
                    errors.put(
                            at + ".git.commit", "is set by Stageguard when the change set is accepted; leave it out");
            } else if (c.packagePath() == null || c.packagePath().isBlank()) {
                errors.put(at + ".package", "is required, or \"git\" to build it from a repository");
            } else if (c.packagePath().length() > 1000) {
                errors.put(at + ".package", "must be at most 1000 characters");
            } else {
                String problem = folders.problem(c.packagePath());
                // what the package declares is compared with a version that is itself valid
                if (problem == null && c.type() != null && !errors.containsKey(at + ".version"))
                    problem = contentProblem(folders.resolved(List.of(c)).get(0));
                if (problem != null) errors.put(at + ".package", problem);
            }
            if (c.allowDowngrade() && c.type() != ChangeType.CORE)
                errors.put(at + ".allowDowngrade", "applies to core updates only");
            if (c.experiment() && c.type() == ChangeType.CORE)
                errors.put(at + ".experiment", "a core update is not an experiment: plugins and themes are");
        }
        if (changes.stream()
                        .filter(c -> c != null && c.type() == ChangeType.CORE)
                        .count()
                > 1) {
            errors.put("changes", "may update WordPress core once");
        }
        return errors;
    }

    /** A core zip that is not a WordPress release, or a package that declares another version than the change asks for. */
    private static String contentProblem(Change c) {
        try {
            if (c.type() == ChangeType.CORE) {
                CorePackage release = CorePackage.read(c.packageFile());
                if (c.version() != null && !c.version().equals(release.version()))
                    return "is WordPress " + release.version() + ", not " + c.version();
                return null;
            }
            String top = PackageHeader.topFolder(c.packageFile());
            if (top != null && !top.equals(c.slug()))
                return "is a package for " + top + ", not " + c.slug() + " (its one top folder names it)";
            String declared = PackageHeader.versionInZip(c.packageFile(), c.type(), c.slug());
            if (c.version() != null && !c.version().equals(declared)) {
                return "declares version " + declared + " in its "
                        + (c.type() == ChangeType.THEME ? "style.css" : "plugin header") + ", not " + c.version();
            }
            return null;
        } catch (CorePackage.NotACoreRelease e) {
            return e.getMessage();
        } catch (IOException e) {
            return "cannot be read: " + e.getMessage();
        }
    }
}
