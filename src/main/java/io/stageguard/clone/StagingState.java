package io.stageguard.clone;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stageguard.site.Site;
import io.stageguard.site.registry.StagingProof;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * What staging is now, for anyone who opens it and for the API: under test for a release, approved
 * for it (by whom, when), stale (live changed since the copy was made), or released. Kept in a
 * file beside the staging guard, which shows it as a bar to people (never to Stageguard's own
 * browser, so QA's screenshots do not change). Written only into a folder proven to be staging.
 */
@Component
public class StagingState {
    /** Beside the guard in staging's mu-plugins: WordPress loads only PHP files from there. */
    static final Path FILE = StagingCloner.GUARD.resolveSibling("stageguard-state.json");

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private final StagingProof proof;

    public StagingState(StagingProof proof) {
        this.proof = proof;
    }

    public enum Kind {
        FRESH,
        UNDER_TEST,
        APPROVED,
        STALE,
        RELEASED
    }

    /** @param text the bar's words, e.g. "Approved for release rel-1 by dev and client at 2026-11-26T10:00:00Z" */
    public record State(Kind kind, String releaseId, String text, Instant at) {}

    public void fresh(Site site, String refreshId) throws IOException {
        write(
                site,
                new State(
                        Kind.FRESH,
                        refreshId,
                        "A fresh copy of live (" + refreshId + "); no release under test",
                        Instant.now()));
    }

    public void underTest(Site site, String releaseId) throws IOException {
        write(
                site,
                new State(
                        Kind.UNDER_TEST,
                        releaseId,
                        "Under test for release " + releaseId + ": not approved yet",
                        Instant.now()));
    }

    public void approved(Site site, String releaseId, String approvers) throws IOException {
        Instant now = Instant.now();
        write(
                site,
                new State(
                        Kind.APPROVED,
                        releaseId,
                        "Approved for release " + releaseId + " by " + approvers + " at " + now,
                        now));
    }

    public void stale(Site site, String releaseId) throws IOException {
        write(
                site,
                new State(
                        Kind.STALE,
                        releaseId,
                        "Stale: live changed since this copy was made for release " + releaseId,
                        Instant.now()));
    }

    public void released(Site site, String releaseId) throws IOException {
        Instant now = Instant.now();
        write(
                site,
                new State(
                        Kind.RELEASED,
                        releaseId,
                        "Release " + releaseId + " reached live at " + now + "; this copy shows it",
                        now));
    }

    public Optional<State> read(Site site) {
        Path file = site.staging().documentRoot().resolve(FILE);
        try {
            return Files.isRegularFile(file)
                    ? Optional.of(JSON.readValue(file.toFile(), State.class))
                    : Optional.empty();
        } catch (IOException unreadable) {
            return Optional.empty();
        }
    }

    private void write(Site site, State state) throws IOException {
        proof.proveFolder(site);
        Path file = site.staging().documentRoot().resolve(FILE);
        Files.createDirectories(file.getParent());
        Path next = file.resolveSibling(file.getFileName() + ".next");
        JSON.writeValue(next.toFile(), state);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
