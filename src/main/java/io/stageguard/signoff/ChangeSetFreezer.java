package io.stageguard.signoff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stageguard.support.Sha256;
import io.stageguard.update.ChangeSetApplier;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Phase 4's last step: freezes what QA tested into a manifest stored with its own hash. The
 * manifest is built from the applied-changes record, not from the request, so live receives
 * what staging was tested with.
 */
@Component
public class ChangeSetFreezer {
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final ChangeSetApplier applier;
    private final PackageStore store;

    public ChangeSetFreezer(JdbcTemplate jdbc, ObjectMapper json, ChangeSetApplier applier, PackageStore store) {
        this.store = store;
        this.jdbc = jdbc;
        this.json = json;
        this.applier = applier;
    }

    public record Frozen(FrozenManifest manifest, String sha256) {}

    /** Freezes the round's applied changes, each package kept in Stageguard's {@link PackageStore} and named from there. */
    @Transactional
    public Frozen freeze(String releaseId, String siteId, int round) throws IOException {
        List<FrozenManifest.Entry> entries = new ArrayList<>();
        for (ChangeSetApplier.AppliedChange a : applier.appliedIn(releaseId, round)) {
            // a setting has no package: its name and value are what is frozen, with their digest
            String stored = a.type().isSetting()
                    ? null
                    : store.keep(Path.of(a.packagePath()), a.sha256()).toString();
            entries.add(new FrozenManifest.Entry(
                    a.position(), a.type(), a.slug(), a.version(), stored, a.sha256(), a.allowDowngrade()));
        }
        if (entries.isEmpty()) {
            throw new IllegalStateException(
                    "release " + releaseId + " has no applied changes in QA round " + round + " to freeze");
        }
        FrozenManifest manifest = new FrozenManifest(releaseId, siteId, round, entries);
        String text = write(manifest);
        String sha = Sha256.of(text);
        jdbc.update("delete from sg_frozen_manifest where release_id = ?", releaseId);
        jdbc.update(
                "insert into sg_frozen_manifest (release_id, manifest, manifest_sha256, frozen_at) values (?, ?, ?, ?)",
                releaseId,
                text,
                sha,
                Timestamp.from(Instant.now()));
        return new Frozen(manifest, sha);
    }

    /** The frozen manifest, after checking that the stored text still has the hash it was frozen with. */
    public FrozenManifest load(String releaseId) {
        var rows = jdbc.queryForList(
                "select manifest, manifest_sha256 from sg_frozen_manifest where release_id = ?", releaseId);
        if (rows.isEmpty()) {
            throw new IllegalStateException(
                    "release " + releaseId + " has no frozen change set: sign-off has not happened");
        }
        String text = (String) rows.get(0).get("manifest");
        if (!Sha256.of(text).equals(rows.get(0).get("manifest_sha256"))) {
            throw new IllegalStateException(
                    "the frozen manifest of release " + releaseId + " was altered after sign-off");
        }
        try {
            return json.readValue(text, FrozenManifest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("frozen manifest unreadable", e);
        }
    }

    private String write(FrozenManifest manifest) {
        try {
            return json.writeValueAsString(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
