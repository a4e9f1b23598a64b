package io.stageguard.update;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * One requested change: a plugin or theme installed from its zip file, or WordPress core updated
 * from a wordpress.org release zip.
 *
 * @param type    what it installs
 * @param slug    the folder name under wp-content/plugins or wp-content/themes; "wordpress" for core
 * @param version the version the package carries; when given, the package must declare exactly it
 * @param packagePath absolute path of the zip file
 * @param allowDowngrade whether a core package older than the installed version is accepted
 * @param git     for custom code: where the package is built from ({@link GitPackager}); the package is then
 *                built when the change set is accepted and pinned to the ref's commit
 * @param experiment something to try: applied and QA'd like the rest, listed apart on the developer's
 *                sign-off form, where it is kept or dropped (a dropped one is tested again without and never frozen)
 * @param name    for an option or constant: its name (the change's slug too)
 * @param value   for an option or constant: the value to set, a string, an integer or true/false; its
 *                rendering ({@link SettingChanges#render}) becomes the change's version
 */
public record Change(
        ChangeType type,
        String slug,
        String version,
        @JsonProperty("package") String packagePath,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean allowDowngrade,
        @JsonInclude(JsonInclude.Include.NON_NULL) GitRef git,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean experiment,
        @JsonInclude(JsonInclude.Include.NON_NULL) String name,
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode value) {
    /** The slug core changes carry: WordPress has one core. */
    public static final String CORE_SLUG = "wordpress";

    public Change {
        if (type == ChangeType.CORE && (slug == null || slug.isBlank())) slug = CORE_SLUG;
        if (type != null && type.isSetting()) {
            // a setting is named by its name everywhere a package is named by its slug; its version is the value it
            // sets
            if (name == null) name = slug;
            slug = name;
            if (value != null) version = SettingChanges.render(type, value);
        }
    }

    public Change(ChangeType type, String slug, String version, String packagePath) {
        this(type, slug, version, packagePath, false, null, false, null, null);
    }

    public Change(ChangeType type, String slug, String version, String packagePath, boolean allowDowngrade) {
        this(type, slug, version, packagePath, allowDowngrade, null, false, null, null);
    }

    public Change(
            ChangeType type,
            String slug,
            String version,
            String packagePath,
            boolean allowDowngrade,
            GitRef git,
            boolean experiment) {
        this(type, slug, version, packagePath, allowDowngrade, git, experiment, null, null);
    }

    /** This change with its package built from git, pinned to {@code commit}. */
    public Change builtFrom(GitRef pinned, String builtVersion, java.nio.file.Path zip) {
        return new Change(
                type,
                slug,
                version == null || version.isBlank() ? builtVersion : version,
                zip.toString(),
                allowDowngrade,
                pinned,
                experiment,
                null,
                null);
    }

    /** This change read from another copy of its package (the same bytes, a place nobody else can change). */
    public Change withPackage(java.nio.file.Path zip) {
        return new Change(type, slug, version, zip.toString(), allowDowngrade, git, experiment, name, value);
    }

    /** Whether {@code changes} update WordPress core, which changes how every page renders a little. */
    public static boolean updatesCore(java.util.List<Change> changes) {
        return changes.stream().anyMatch(c -> c.type() == ChangeType.CORE);
    }

    @JsonIgnore
    public Path packageFile() {
        return Path.of(packagePath);
    }

    /**
     * What was tested and is frozen: the package's SHA-256, or for a setting the SHA-256 of what
     * it sets ("option blog_public=0").
     */
    @JsonIgnore
    public String digest() throws java.io.IOException {
        return type.isSetting()
                ? io.stageguard.support.Sha256.of(key() + "=" + version)
                : io.stageguard.support.Sha256.of(packageFile());
    }

    /**
     * Where a plugin or theme lands, relative to the document root. Core and settings have no
     * folder of their own: {@link ChangeFootprint} says what a change touches.
     */
    @JsonIgnore
    public String targetFolder() {
        if (!type.installsFolder())
            throw new IllegalStateException(type + " changes have no target folder of their own; ask ChangeFootprint");
        return "wp-content/" + type.folder() + "/" + slug;
    }

    /** How the developer's form offers an experiment to drop, and names it back: "plugin sg-try". */
    @JsonIgnore
    public String key() {
        return type + " " + slug;
    }

    @JsonIgnore
    public String label() {
        if (type.isSetting()) return type + " " + slug + " = " + version;
        String what = type == ChangeType.CORE ? "WordPress core" : type + " " + slug;
        return what + (version == null || version.isBlank() ? "" : " " + version);
    }
}
