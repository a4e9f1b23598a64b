package io.stageguard.clone;

import io.stageguard.site.Site;
import io.stageguard.site.SiteInventoryReader;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Phase 1's "match PHP and WordPress versions": reads both sites as they run and compares them. */
@Component
public class ParityCheck {
    private final SiteInventoryReader reader;
    private final ParityProperties properties;

    public ParityCheck(SiteInventoryReader reader, ParityProperties properties) {
        this.reader = reader;
        this.properties = properties;
    }

    public ParityReport check(Site site, Map<String, String> stagingAccess) throws IOException, SQLException {
        return ParityReport.compare(reader.read(site.live(), Map.of()), reader.read(site.staging(), stagingAccess), properties.blocking());
    }
}
