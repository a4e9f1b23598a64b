package io.stageguard.deploy;

import io.stageguard.backup.LiveBackup;
import io.stageguard.site.Sha256;
import io.stageguard.site.Site;
import io.stageguard.update.ChangeInstaller;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Phase 5: installs exactly the frozen packages on live, in the tested order. Every package is
 * checked against the manifest before the first one is installed, and nothing is installed
 * without a verified backup of what it replaces.
 */
@Component
public class LiveDeployer {
    private final ChangeSetFreezer freezer;
    private final LiveBackup backup;
    private final ChangeInstaller installer;

    public LiveDeployer(ChangeSetFreezer freezer, LiveBackup backup, ChangeInstaller installer) {
        this.installer = installer;
        this.freezer = freezer;
        this.backup = backup;
    }

    public List<String> deploy(String releaseId, Site site) throws IOException, ManifestMismatchException {
        FrozenManifest manifest = freezer.load(releaseId);
        if (!manifest.siteId().equals(site.id()) || !manifest.releaseId().equals(releaseId)) {
            throw new IllegalStateException("the frozen manifest belongs to release " + manifest.releaseId() + " of site " + manifest.siteId()
                    + ", not to release " + releaseId + " of site " + site.id() + "; refusing to deploy");
        }
        if (!backup.isVerified(releaseId)) {
            throw new IllegalStateException("release " + releaseId + " has no verified backup of live; refusing to deploy");
        }
        for (FrozenManifest.Entry e : manifest.entries()) {
            if (!Files.isRegularFile(e.change().packageFile())) {
                throw new ManifestMismatchException(e.change().label() + ": package " + e.packagePath() + " is gone");
            }
            String actual = Sha256.of(e.change().packageFile());
            if (!actual.equals(e.sha256())) {
                throw new ManifestMismatchException(e.change().label() + ": package changed after sign-off (sha256 "
                        + actual + ", frozen " + e.sha256() + ")");
            }
        }
        List<String> installed = new ArrayList<>();
        // what is new to live is what the backup found absent: a retried deploy sees the first attempt's files
        Set<String> absentBefore = backup.absentBeforeDeploy(releaseId);
        for (FrozenManifest.Entry e : manifest.entries()) {
            installer.install(site.live(), e.change(), absentBefore.contains(e.change().targetFolder()));
            installed.add(e.change().label());
        }
        return installed;
    }
}
