package io.stageguard.site.registry;

import java.util.Map;

/**
 * A staging target that cannot be proven to be staging: its folder or database is live's, another
 * site's, or somebody else's. Nothing has been written when this is thrown.
 */
public class NotStagingException extends IllegalStateException {
    private final Map<String, String> problems;

    public NotStagingException(Map<String, String> problems) {
        super("Refused to write: staging is not proven to be staging: " + problems);
        this.problems = Map.copyOf(problems);
    }

    /** Field of the site definition to what it collides with. */
    public Map<String, String> problems() {
        return problems;
    }
}
