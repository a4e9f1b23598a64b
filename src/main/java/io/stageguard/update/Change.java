package io.stageguard.update;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;

/**
 * One requested change: a plugin or theme, installed from a zip file.
 *
 * @param type    what it installs
 * @param slug    the folder name under wp-content/plugins or wp-content/themes
 * @param version the version the package carries, for people reading reports
 * @param packagePath absolute path of the zip file
 */
public record Change(ChangeType type, String slug, String version, @JsonProperty("package") String packagePath) {

    @JsonIgnore
    public Path packageFile() {
        return Path.of(packagePath);
    }

    /** Where this change lands, relative to the document root. */
    @JsonIgnore
    public String targetFolder() {
        return "wp-content/" + type.folder() + "/" + slug;
    }

    @JsonIgnore
    public String label() {
        return type + " " + slug + (version == null || version.isBlank() ? "" : " " + version);
    }
}
