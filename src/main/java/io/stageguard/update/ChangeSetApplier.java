package io.stageguard.update;

import io.stageguard.clone.StagingAccess;
import io.stageguard.site.Site;
import io.stageguard.site.registry.StagingProof;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Phase 2: applies a change set to staging in the order given and records what was applied. */
@Component
public class ChangeSetApplier {
    private final JdbcTemplate jdbc;
    private final ChangeInstaller installer;
    private final StagingProof proof;
    private final ServedCodeRefresher served;
    private final StagingAccess access;
    private final IntegrityCheck integrity;
    private final MigrationTrigger migrations;

    public ChangeSetApplier(
            JdbcTemplate jdbc,
            ChangeInstaller installer,
            StagingProof proof,
            ServedCodeRefresher served,
            StagingAccess access,
            IntegrityCheck integrity,
            MigrationTrigger migrations) {
        this.integrity = integrity;
        this.migrations = migrations;
        this.served = served;
        this.access = access;
        this.installer = installer;
        this.proof = proof;
        this.jdbc = jdbc;
    }

    /**
     * A change as it was applied: the package's hash is what sign-off will freeze.
     *
     * @param replaces the version live runs, which this change replaces ("none" for something new)
     * @param outcome how it went in on staging (swapped in, activated; for core the versions and db_version before and after)
     * @param allowDowngrade a core change asked to go to an older version
     * @param gitSource      for custom code: the repository, folder and ref it was built from; null otherwise
     * @param gitCommit      for custom code: the commit the ref pointed to when the change set was accepted
     * @param integrity      what the checksum verification on staging found ({@link IntegrityCheck})
     * @param schemaChanges  what applying it (and the admin request after it, where plugins migrate) did to staging's tables,
     *                       indexes and options ({@link SchemaSnapshot})
     */
    public record AppliedChange(
            int position,
            ChangeType type,
            String slug,
            String replaces,
            String version,
            String packagePath,
            String sha256,
            String outcome,
            boolean allowDowngrade,
            String gitSource,
            String gitCommit,
            String integrity,
            List<String> schemaChanges) {}

    @Transactional
    public List<AppliedChange> apply(String releaseId, int round, Site site, List<Change> changes) throws IOException {
        // a retry of the same round re-applies everything and records it afresh
        jdbc.update("delete from sg_applied_change where release_id = ? and qa_round = ?", releaseId, round);
        List<AppliedChange> applied = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            Change change = changes.get(i);
            // proven again before each change: the one before ran code under test (an activation hook, a database
            // upgrade) in staging
            proof.proveCloned(site);
            // hashed and unpacked from a private copy: the file at the path could be replaced between the two (review
            // 954a1fc, L7)
            Path copy = change.type().isSetting() ? null : privateCopy(change.packageFile());
            Change installed = copy == null ? change : change.withPackage(copy);
            String sha;
            String outcome;
            String replaces = ChangeInstaller.replacedOn(site.live(), change);
            SchemaSnapshot before = SchemaSnapshot.of(site.staging());
            try {
                sha = installed.digest();
                outcome = installer.switchIn(site.staging(), List.of(installed)).get(installed);
            } finally {
                if (copy != null) Files.deleteIfExists(copy);
            }
            if (installer.activateIfAdded(site.staging(), change, ChangeInstaller.newOnLive(site, change)))
                outcome += ", activated";
            migrations.adminRequest(site.staging());
            List<String> schemaChanges = SchemaSnapshot.of(site.staging()).since(before);
            IntegrityCheck.Result integrity = this.integrity.verify(site.staging(), change);
            if (!integrity.problems().isEmpty()) {
                throw new IOException(change.label() + " on staging is not what was published: "
                        + String.join("; ", integrity.problems()));
            }
            AppliedChange done = new AppliedChange(
                    i,
                    change.type(),
                    change.slug(),
                    replaces,
                    change.version(),
                    change.packagePath(),
                    sha,
                    outcome,
                    change.allowDowngrade(),
                    change.git() == null ? null : change.git().describe(),
                    change.git() == null ? null : change.git().commit(),
                    integrity.summary(),
                    schemaChanges);
            // the row is the record: written from the same values the caller gets back
            jdbc.update(
                    "insert into sg_applied_change (release_id, qa_round, position, change_type, slug, replaces, version, package_path, package_sha256, "
                            + "outcome, allow_downgrade, git_source, git_commit, integrity, schema_changes, applied_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    releaseId,
                    round,
                    done.position(),
                    done.type().label(),
                    done.slug(),
                    done.replaces(),
                    done.version(),
                    done.packagePath(),
                    done.sha256(),
                    done.outcome(),
                    done.allowDowngrade(),
                    done.gitSource(),
                    done.gitCommit(),
                    done.integrity(),
                    String.join("\n", done.schemaChanges()),
                    Timestamp.from(Instant.now()));
            applied.add(done);
        }
        requireServed(served, access, site, changes);
        return applied;
    }

    /** The package copied where only Stageguard can write (a 0600 temp file). */
    private static Path privateCopy(Path zip) throws IOException {
        Path copy = Files.createTempFile("stageguard-package-", ".zip");
        try {
            Files.copy(zip, copy, StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
    }

    /**
     * Staging's serving PHP made to run what was just installed, as on live: QA that judged code
     * still cached from before would pass or fail the wrong release.
     */
    public static void requireServed(ServedCodeRefresher served, StagingAccess access, Site site, List<Change> changes)
            throws IOException {
        List<String> problems = served.refresh(site.staging(), changes, access.headers(site.id()))
                .problems(changes);
        if (!problems.isEmpty()) {
            throw new IOException(
                    "staging does not demonstrably run the applied changes, so QA would judge other code: "
                            + String.join("; ", problems));
        }
    }

    /** What was applied in the given round, in the order it was applied. */
    public List<AppliedChange> appliedIn(String releaseId, int round) {
        return jdbc.query(
                "select position, change_type, slug, replaces, version, package_path, package_sha256, outcome, allow_downgrade, git_source, git_commit, integrity, schema_changes from sg_applied_change "
                        + "where release_id = ? and qa_round = ? order by position",
                (rs, n) -> new AppliedChange(
                        rs.getInt(1),
                        ChangeType.of(rs.getString(2)),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getBoolean(9),
                        rs.getString(10),
                        rs.getString(11),
                        rs.getString(12),
                        rs.getString(13) == null || rs.getString(13).isEmpty()
                                ? List.of()
                                : List.of(rs.getString(13).split("\n"))),
                releaseId,
                round);
    }
}
