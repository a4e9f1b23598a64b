package io.stageguard.update;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What a change installs, and where it lands: a plugin or theme under wp-content, or WordPress core itself. */
public enum ChangeType {
    PLUGIN("plugin", "plugins"),
    THEME("theme", "themes"),
    /** a wordpress.org release: everything but wp-content, updated as {@code update_core()} does ({@link CoreUpdater}) */
    CORE("core", null),
    /** a WordPress option set to a value ({@link SettingChanges}): no files */
    OPTION("option", null),
    /** a constant defined in wp-config.php ({@link SettingChanges}) */
    CONSTANT("constant", null);

    private final String label;
    private final String folder;

    ChangeType(String label, String folder) {
        this.label = label;
        this.folder = folder;
    }

    /** As requests, reports and Stageguard's tables write it. */
    @JsonValue
    public String label() {
        return label;
    }

    /** Whether a change of this kind installs a package into its own folder under wp-content. */
    public boolean installsFolder() {
        return folder != null;
    }

    /** Whether a change of this kind sets a value rather than installing code. */
    public boolean isSetting() {
        return this == OPTION || this == CONSTANT;
    }

    /** The folder under wp-content that holds this kind of package; none for core and settings. */
    public String folder() {
        return folder;
    }

    @JsonCreator
    public static ChangeType of(String label) {
        return Arrays.stream(values())
                .filter(t -> t.label.equals(label))
                .findFirst()
                .orElseThrow(() ->
                        new IllegalArgumentException("must be plugin, theme, core, option or constant, not " + label));
    }

    @Override
    public String toString() {
        return label;
    }
}
