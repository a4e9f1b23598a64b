package io.stageguard;

import io.stageguard.clone.FileTreeCopier;
import io.stageguard.site.Site;
import io.stageguard.site.registry.KnownSites;
import io.stageguard.update.LiveLeftovers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.camunda.bpm.engine.RuntimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * At start, before the job executor resumes anything, what a killed Stageguard left behind goes:
 * the programs it started that outlived it (chromedriver, Chromium, PHP: found by their mark, see
 * {@link ChildProcesses}), the browser profiles and scripts of JVMs no longer running, and on each
 * site's live with no release running, the folders an install or restore left beside its targets.
 * Tidying up never stops Stageguard from starting; what it did is logged.
 */
@Component
class StartupSweep {
    private static final Logger LOG = LoggerFactory.getLogger(StartupSweep.class);
    /** The temp folders a Stageguard's browsers use, each named with its JVM's mark ({@code <pid>-<start>}). */
    private static final List<String> TEMP_HEADS = List.of("stageguard-chromium-", "stageguard-browser-bin-");

    private final KnownSites sites;
    private final JdbcTemplate jdbc;
    private final RuntimeService runtime;

    StartupSweep(KnownSites sites, JdbcTemplate jdbc, RuntimeService runtime) {
        this.sites = sites;
        this.jdbc = jdbc;
        this.runtime = runtime;
    }

    @EventListener(ApplicationStartedEvent.class)
    void sweep() {
        List<String> killed = ChildProcesses.killOrphans();
        if (!killed.isEmpty())
            LOG.warn(
                    "Killed {} program(s) a Stageguard that is no longer running had started: {}",
                    killed.size(),
                    killed);
        removeDeadTempFolders(Path.of(System.getProperty("java.io.tmpdir")));
        for (Site site : sites.all()) {
            if (releaseRunningOn(site.id())) continue;
            try {
                List<Path> removed = LiveLeftovers.remove(site.live());
                if (!removed.isEmpty())
                    LOG.warn(
                            "Removed what an interrupted install or restore left on live of site {}: {}",
                            site.id(),
                            removed);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not remove the leftovers on live of site {}: {}", site.id(), e.getMessage());
            }
        }
    }

    /** Browser profiles and scripts whose JVM is gone. */
    static void removeDeadTempFolders(Path temp) {
        List<Path> candidates;
        try (Stream<Path> entries = Files.list(temp)) {
            candidates = entries.filter(p -> TEMP_HEADS.stream()
                            .anyMatch(h -> p.getFileName().toString().startsWith(h)))
                    .toList();
        } catch (IOException e) {
            return;
        }
        for (Path folder : candidates) {
            String name = folder.getFileName().toString();
            String rest = name.substring(TEMP_HEADS.stream()
                    .filter(name::startsWith)
                    .findFirst()
                    .orElseThrow()
                    .length());
            String[] parts = rest.split("-");
            // a folder without a readable mark predates the marks: it belongs to no running Stageguard either way
            String mark = parts.length >= 2 && parts[0].matches("\\d+") && parts[1].matches("\\d+")
                    ? parts[0] + "@" + parts[1]
                    : null;
            if (mark != null && ChildProcesses.ownerAlive(mark)) continue;
            try {
                FileTreeCopier.deleteTree(folder);
            } catch (IOException e) {
                LOG.warn("Could not remove {}: {}", folder, e.getMessage());
            }
        }
    }

    private boolean releaseRunningOn(String siteId) {
        List<String> instances = jdbc.queryForList(
                "select process_instance_id from sg_site_slot where site_id = ? and process_instance_id is not null",
                String.class,
                siteId);
        return instances.stream()
                .anyMatch(id -> runtime.createProcessInstanceQuery()
                                .processInstanceId(id)
                                .count()
                        > 0);
    }
}
