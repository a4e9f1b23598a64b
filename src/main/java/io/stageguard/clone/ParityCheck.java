package io.stageguard.clone;

import io.stageguard.site.Site;
import io.stageguard.wordpress.SiteInventoryReader;
import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Phase 1's "match PHP and WordPress versions": reads both sites as they run and compares them. */
@Component
public class ParityCheck {
    private final SiteInventoryReader reader;
    private final ParityProperties properties;
    private final List<ParityItems> more;

    public ParityCheck(SiteInventoryReader reader, ParityProperties properties, List<ParityItems> more) {
        this.reader = reader;
        this.properties = properties;
        this.more = more;
    }

    public ParityReport check(Site site, Map<String, String> stagingAccess) throws IOException, SQLException {
        Map<String, String> live = new LinkedHashMap<>(reader.read(site.live(), Map.of()));
        Map<String, String> staging = new LinkedHashMap<>(reader.read(site.staging(), stagingAccess));
        for (ParityItems items : more) {
            live.putAll(items.read(site.live()));
            staging.putAll(items.read(site.staging()));
        }
        return ParityReport.compare(live, staging, properties.blocking());
    }
}
