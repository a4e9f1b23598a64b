package io.stageguard.update;

import io.stageguard.StageguardProperties;
import io.stageguard.site.KnownSites;
import io.stageguard.site.Site;
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
 * answer tells nothing about what exists outside.
 */
@Component
public class PackageFolders {
    static final String REFUSAL = "is not a package Stageguard may read: name a readable zip file inside one of the package folders "
            + "(stageguard.updates.package-folders)";
    private final List<Path> allowed;
    private final Supplier<List<Path>> excluded;

    @Autowired
    public PackageFolders(UpdateProperties updates, StageguardProperties app, KnownSites sites) {
        this(allowed(updates, app), () -> Stream.concat(Stream.of(app.dataDir()), sites.all().stream().flatMap(PackageFolders::roots)).toList());
    }

    /**
     * @param allowed  where zips may be
     * @param excluded where they never may, even inside an allowed folder (asked at each check: sites come and go)
     */
    public PackageFolders(List<Path> allowed, Supplier<List<Path>> excluded) {
        this.allowed = List.copyOf(allowed);
        this.excluded = excluded;
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
        if (packagePath == null || !Path.of(packagePath).isAbsolute()) return "must be an absolute path";
        Path zip;
        try {
            zip = Path.of(packagePath).toRealPath();
        } catch (IOException | RuntimeException e) {
            return REFUSAL;
        }
        if (!Files.isRegularFile(zip, LinkOption.NOFOLLOW_LINKS) || !Files.isReadable(zip)) return REFUSAL;
        List<Path> holding = allowed.stream().map(PackageFolders::real).filter(f -> f != null && zip.startsWith(f)).toList();
        if (holding.isEmpty()) return REFUSAL;
        for (Path excludedFolder : excluded.get().stream().map(PackageFolders::real).filter(f -> f != null && zip.startsWith(f)).toList()) {
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
