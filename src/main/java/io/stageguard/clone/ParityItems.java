package io.stageguard.clone;

import io.stageguard.site.SiteEnvironment;
import java.io.IOException;
import java.util.Map;

/**
 * More items for the parity report, read from live and from staging alike by features that know
 * them (core files against wordpress.org's checksums); reads only.
 */
public interface ParityItems {
    Map<String, String> read(SiteEnvironment env) throws IOException;
}
