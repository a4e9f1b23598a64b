package io.stageguard.push;

import io.stageguard.rollback.DatabaseDump;
import io.stageguard.rollback.DeployMarks;
import io.stageguard.rollback.LiveBackup;
import io.stageguard.signoff.ChangeSetFreezer;
import io.stageguard.signoff.FrozenManifest;
import io.stageguard.site.Site;
import io.stageguard.support.Sha256;
import io.stageguard.update.Change;
import io.stageguard.update.ChangeInstaller;
import io.stageguard.update.ChangeType;
import io.stageguard.update.ServedCodeRefresher;
import io.stageguard.wordpress.SiteHealthCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Phase 5: installs exactly the frozen packages on live, in the tested order. Every package is
 * checked against the manifest before the first one is installed, and nothing is installed
 * without a verified backup of what it replaces. All packages are unpacked beside their folders
 * before the first is swapped in; right after the swaps the serving PHP is made to run the new
 * code and must report the frozen versions, and every QA path must answer through live's own
 * address without an error or a PHP fatal (asked past every cache), or the deploy counts as failed
 * and is rolled back at once: a break visitors see lasts as long as that plain check, not a
 * browser round.
 */
@Component
public class LiveDeployer {
    private final ChangeSetFreezer freezer;
    private final LiveBackup backup;
    private final ChangeInstaller installer;
    private final ServedCodeRefresher served;
    private final DeployMarks marks;
    private final SiteHealthCheck health;

    public LiveDeployer(
            ChangeSetFreezer freezer,
            LiveBackup backup,
            ChangeInstaller installer,
            ServedCodeRefresher served,
            DeployMarks marks,
            SiteHealthCheck health) {
        this.health = health;
        this.installer = installer;
        this.marks = marks;
        this.served = served;
        this.freezer = freezer;
        this.backup = backup;
    }

    /**
     * The release's frozen manifest, after checking that it belongs to this release and site and that
     * every package is still on disk with the hash that was signed off. Asked before the backup too,
     * so a push that could not complete is refused before anything is written.
     */
    public FrozenManifest checkedManifest(String releaseId, Site site) throws IOException, ManifestMismatchException {
        FrozenManifest manifest = freezer.load(releaseId);
        if (!manifest.siteId().equals(site.id()) || !manifest.releaseId().equals(releaseId)) {
            throw new IllegalStateException(
                    "the frozen manifest belongs to release " + manifest.releaseId() + " of site " + manifest.siteId()
                            + ", not to release " + releaseId + " of site " + site.id() + "; refusing to deploy");
        }
        for (FrozenManifest.Entry e : manifest.entries()) {
            if (e.type().isSetting()) {
                if (!e.change().digest().equals(e.sha256()))
                    throw new ManifestMismatchException(e.change().label() + ": not the setting that was signed off");
                continue;
            }
            if (!Files.isRegularFile(e.change().packageFile())) {
                throw new ManifestMismatchException(e.change().label() + ": package " + e.packagePath() + " is gone");
            }
            String actual = Sha256.of(e.change().packageFile());
            if (!actual.equals(e.sha256())) {
                throw new ManifestMismatchException(e.change().label() + ": package changed after sign-off (sha256 "
                        + actual + ", frozen " + e.sha256() + ")");
            }
        }
        return manifest;
    }

    /**
     * Swaps the frozen packages into live and makes its serving PHP run them. The keys of live's
     * tables are marked right before the first write and after the last (also when the deploy
     * fails), so that a rollback can tell the rows the deploy wrote from those visitors wrote.
     */
    public Deployment deploy(String releaseId, Site site, List<String> paths)
            throws IOException, ManifestMismatchException, SQLException, LiveBrokeException {
        FrozenManifest manifest = checkedManifest(releaseId, site);
        if (!backup.isVerified(releaseId)) {
            throw new IllegalStateException(
                    "release " + releaseId + " has no verified backup of live; refusing to deploy");
        }
        List<Change> changes = manifest.changes();
        // what is new to live is what the backup found absent: a retried deploy sees the first attempt's files
        Set<String> absentBefore = backup.absentBeforeDeploy(releaseId);
        Map<String, DatabaseDump.DumpedTable> tables = backup.recordedTables(releaseId);
        marks.beforeDeploy(releaseId, site, tables);
        try {
            // a core update's new files are served at once, before its old files go and its database upgrade runs
            Map<Change, String> swapped =
                    installer.switchIn(site.live(), changes, () -> served.refresh(site.live(), changes));
            // straight after the swap, before anything slower: the serving PHP drops what it compiled from the old
            // files
            ServedCodeRefresher.Refresh refresh = served.refresh(site.live(), changes);
            for (Change change : changes) {
                if (change.type() == ChangeType.PLUGIN)
                    installer.activateIfAdded(site.live(), change, absentBefore.contains(change.targetFolder()));
            }
            List<String> problems = refresh.problems(changes);
            if (!problems.isEmpty()) {
                throw new ManifestMismatchException(
                        "live does not demonstrably run the released code: " + String.join("; ", problems));
            }
            SiteHealthCheck.Health firstLook = health.checkPastCaches(site.live(), paths);
            if (!firstLook.healthy()) throw new LiveBrokeException(firstLook);
            List<String> installed = new ArrayList<>();
            swapped.forEach((change, how) -> installed.add(change.label() + " (" + how + ")"));
            return new Deployment(installed, refresh.summary(), firstLook);
        } finally {
            marks.afterDeploy(releaseId, site, tables);
        }
    }

    /** What reached live, the serving PHP's account of running it, and live's first answers. */
    public record Deployment(List<String> installed, String servedCode, SiteHealthCheck.Health firstLook) {}
}
