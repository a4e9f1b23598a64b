package io.stageguard.update;

import io.stageguard.site.SiteEnvironment;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Whether a change set fits the site it is for, checked against live before anything is applied
 * (a release request, a revision): a core release's PHP and MySQL requirements and the downgrade
 * rule ({@link CoreUpdater#problems}); a plugin's or theme's own {@code Requires at least},
 * {@code Requires PHP} and {@code Requires Plugins} from its package, against the WordPress, PHP
 * and plugins live runs (a core update in the same set counts as the WordPress it will run).
 * Reads live, writes nothing.
 */
@Component
public class SiteFit {
    private final CoreUpdater core;
    private final UpdateDiscovery discovery;

    public SiteFit(CoreUpdater core, UpdateDiscovery discovery) {
        this.core = core;
        this.discovery = discovery;
    }

    /** Problems keyed by the change ("changes[0]"); only the set's shape must have been checked ({@link ChangeSetValidator}). */
    public Map<String, String> problemsOn(SiteEnvironment live, List<Change> changes) {
        Map<String, String> errors = new LinkedHashMap<>();
        UpdateDiscovery.SiteRuns runs;
        try {
            runs = discovery.read(live);
        } catch (IOException e) {
            errors.put("siteId", "what live runs cannot be read: " + e.getMessage());
            return errors;
        }
        String wordpress = changes.stream()
                .filter(c -> c.type() == ChangeType.CORE)
                .map(Change::version)
                .findFirst()
                .orElse(runs.wordpress());
        List<String> plugins = new java.util.ArrayList<>(runs.pluginSlugs());
        changes.stream()
                .filter(c -> c.type() == ChangeType.PLUGIN)
                .map(Change::slug)
                .forEach(plugins::add);
        for (int i = 0; i < changes.size(); i++) {
            Change change = changes.get(i);
            try {
                List<String> problems = switch (change.type()) {
                    case CORE -> core.problems(live, change);
                    case PLUGIN, THEME ->
                        PackageRequirements.of(change.packageFile(), change.type(), change.slug())
                                .unmetOn(wordpress, runs.php(), runs.mysql(), plugins);
                    case OPTION, CONSTANT -> List.of();
                };
                // core's problems name WordPress and its versions already
                if (!problems.isEmpty()) {
                    errors.put(
                            "changes[" + i + "]",
                            (change.type() == ChangeType.CORE ? "" : change.label() + ": ")
                                    + String.join("; ", problems));
                }
            } catch (IOException e) {
                errors.put("changes[" + i + "]", "cannot be checked against the site: " + e.getMessage());
            }
        }
        return errors;
    }
}
