package io.stageguard.signoff;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.stageguard.update.Change;
import io.stageguard.update.ChangeType;
import java.util.List;

/**
 * The change set as signed off: exactly these packages, in this order, with these hashes. Nothing
 * else may reach live.
 */
public record FrozenManifest(String releaseId, String siteId, int qaRound, List<Entry> entries) {

    /** The frozen changes, in their order, as the rest of Stageguard names changes. */
    @JsonIgnore
    public List<Change> changes() {
        return entries.stream().map(Entry::change).toList();
    }

    /** @param allowDowngrade for core: the downgrade was asked for and signed off */
    public record Entry(
            int position,
            ChangeType type,
            String slug,
            String version,
            String packagePath,
            String sha256,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean allowDowngrade) {
        @JsonIgnore
        public Change change() {
            return new Change(type, slug, version, packagePath, allowDowngrade);
        }
    }
}
