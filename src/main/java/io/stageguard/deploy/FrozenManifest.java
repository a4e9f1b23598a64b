package io.stageguard.deploy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.stageguard.update.Change;
import io.stageguard.update.ChangeType;
import java.util.List;

/**
 * The change set as signed off: exactly these packages, in this order, with these hashes. Nothing
 * else may reach live.
 */
public record FrozenManifest(String releaseId, String siteId, int qaRound, List<Entry> entries) {

    public record Entry(int position, ChangeType type, String slug, String version, String packagePath, String sha256) {
        @JsonIgnore
        public Change change() {
            return new Change(type, slug, version, packagePath);
        }
    }
}
