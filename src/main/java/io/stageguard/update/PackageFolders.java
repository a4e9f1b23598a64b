package io.stageguard.update;

import io.stageguard.StageguardProperties;
import io.stageguard.site.Site;
import io.stageguard.site.registry.KnownSites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The folders a change set's zip may come from, so that a path in a request or a revise form reads
 * nothing else of the machine: the folders the operator names in
 * {@code stageguard.updates.package-folders}, the vendor folder, and Stageguard's own downloads
 * (wordpress.org, git builds). Compared by real path, so a link cannot lead out. A zip inside a
 * registered site's roots (another tenant's backups) or Stageguard's data folder (its keys, dumps
 * and reports) is refused even inside an allowed folder, unless an allowed folder names a place
 * inside that one itself (the downloads, a demo's packages). Every refusal reads the same, so the
 * answer tells nothing about what exists outside. A zip sent to {@code POST /api/packages} is named
 * {@code sha256:<hex>} ({@link PackageUploads}) and read from the uploads, one of the downloads.
 */
@Component
public class PackageFolders {
    static final String REFUSAL =
            "is not a package Stageguard may read: name a readable zip file inside one of the package folders "
                    + "(stageguard.updates.package-folders)";
    private final List<Path> allowed;
    private final Supplier<List<Path>> excluded;
    private final PackageUploads uploads;

    @Autowired
    public PackageFolders(
            UpdateProperties updates, StageguardProperties app, KnownSites sites, PackageUploads uploads) {
        this(
                allowed(updates, app),
                () -> Stream.concat(
                                Stream.of(app.dataDir()), sites.all().stream().flatMap(PackageFolders::roots))
                        .toList(),
                uploads);
    }

    /**
     * @param allowed  where zips may be
     * @param excluded where they never may, even inside an allowed folder (asked at each check: sites come and go)
     * @param uploads  where {@code sha256:} references lead (inside an allowed folder)
     */
    public PackageFolders(List<Path> allowed, Supplier<List<Path>> excluded, PackageUploads uploads) {
        this.allowed = List.copyOf(allowed);
        this.excluded = excluded;
        this.uploads = uploads;
    }

    /** The changes with every {@code sha256:} reference replaced by the uploaded file's path; others as they are. */
    public List<Change> resolved(List<Change> changes) {
        return changes.stream()
                .map(c -> {
                    Path upload = c == null ? null : uploads.file(c.packagePath());
                    return upload == null ? c : c.withPackage(upload);
                })
                .toList();
    }

    private static List<Path> allowed(UpdateProperties updates, StageguardProperties app) {
        List<Path> folders = new ArrayList<>(updates.packageFolders());
        if (updates.vendorFolder() != null) folders.add(updates.vendorFolder());
        folders.add(app.dataDir().resolve("downloads"));
        return folders;
    }

    private static Stream<Path> roots(Site site) {
        return Stream.of(site.live().documentRoot(), site.staging().documentRoot());
    }

    /** Null when the zip may be read, else the one refusal (after "package"). */
    public String problem(String packagePath) {
        if (PackageUploads.isReference(packagePath)) {
            Path upload = uploads.file(packagePath);
            if (upload == null)
                return "must be sha256: followed by the 64 lowercase hex digits POST /api/packages answered";
            if (!Files.isRegularFile(upload))
                return "names no uploaded package: send the zip to POST /api/packages first";
            packagePath = upload.toString();
        }
        if (packagePath == null || !Path.of(packagePath).isAbsolute()) return "must be an absolute path";
        Path zip;
        try {
            zip = Path.of(packagePath).toRealPath();
        } catch (IOException | RuntimeException e) {
            return REFUSAL;
        }
        if (!Files.isRegularFile(zip, LinkOption.NOFOLLOW_LINKS) || !Files.isReadable(zip)) return REFUSAL;
        List<Path> holding = allowed.stream()
                .map(PackageFolders::real)
                .filter(f -> f != null && zip.startsWith(f))
                .toList();
        if (holding.isEmpty()) return REFUSAL;
        for (Path excludedFolder : excluded.get().stream()
                .map(PackageFolders::real)
                .filter(f -> f != null && zip.startsWith(f))
                .toList()) {
            if (holding.stream().noneMatch(f -> f.startsWith(excludedFolder))) return REFUSAL;
        }
        try (ZipFile file = new ZipFile(zip.toFile())) {
            return ZipLimits.problem(file);
        } catch (IOException e) {
            return REFUSAL;
        }
    }

    private static Path real(Path folder) {
        try {
            return folder.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }
}
