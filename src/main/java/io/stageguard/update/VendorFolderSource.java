package io.stageguard.update;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Premium plugins and themes that wordpress.org does not host, from a folder the agency fills with
 * the vendors' zips ({@code stageguard.updates.vendor-folder}). File names do not matter: each zip's
 * top folder is the slug and its header the version, as WordPress reads them. Asked before
 * wordpress.org, so a vendor's build wins over a same-named free plugin.
 */
@Component
@Order(1)
public class VendorFolderSource implements UpdateSource {
    public static final String NAME = "vendor folder";
    private final UpdateProperties properties;

    public VendorFolderSource(UpdateProperties properties) {
        this.properties = properties;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Offer> offers(InstalledItem item) throws IOException {
        Path folder = properties.vendorFolder();
        if (item.type() == ChangeType.CORE || folder == null || !Files.isDirectory(folder)) return List.of();
        List<Offer> offers = new ArrayList<>();
        try (DirectoryStream<Path> zips = Files.newDirectoryStream(folder, "*.zip")) {
            for (Path zip : zips) {
                if (!item.slug().equals(PackageHeader.topFolder(zip))) continue;
                String version = PackageHeader.versionInZip(zip, item.type(), item.slug());
                if (!version.equals("unknown"))
                    offers.add(new Offer(item.type(), item.slug(), version, NAME, zip.toString()));
            }
        }
        return offers;
    }

    @Override
    public Path download(Offer offer) {
        return Path.of(offer.location());
    }
}
