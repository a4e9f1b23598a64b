package io.stageguard.update;

import io.stageguard.site.Sha256;
import io.stageguard.site.Site;
import io.stageguard.site.StagingProof;
import java.io.IOException;
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

    public ChangeSetApplier(JdbcTemplate jdbc, ChangeInstaller installer, StagingProof proof) {
        this.installer = installer;
        this.proof = proof;
        this.jdbc = jdbc;
    }

    /** A change as it was applied: the package's hash is what sign-off will freeze. */
    public record AppliedChange(int position, ChangeType type, String slug, String version, String packagePath, String sha256) {
    }

    @Transactional
    public List<AppliedChange> apply(String releaseId, int round, Site site, List<Change> changes) throws IOException {
        // a retry of the same round re-applies everything and records it afresh
        proof.proveCloned(site);
        jdbc.update("delete from sg_applied_change where release_id = ? and qa_round = ?", releaseId, round);
        List<AppliedChange> applied = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            Change change = changes.get(i);
            String sha = Sha256.of(change.packageFile());
            installer.install(site.staging(), change, ChangeInstaller.newOnLive(site, change));
            jdbc.update("insert into sg_applied_change (release_id, qa_round, position, change_type, slug, version, package_path, package_sha256, applied_at) "
                            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    releaseId, round, i, change.type().label(), change.slug(), change.version(), change.packagePath(), sha, Timestamp.from(Instant.now()));
            applied.add(new AppliedChange(i, change.type(), change.slug(), change.version(), change.packagePath(), sha));
        }
        return applied;
    }

    /** What was applied in the given round, in the order it was applied. */
    public List<AppliedChange> appliedIn(String releaseId, int round) {
        return jdbc.query("select position, change_type, slug, version, package_path, package_sha256 from sg_applied_change "
                        + "where release_id = ? and qa_round = ? order by position",
                (rs, n) -> new AppliedChange(rs.getInt(1), ChangeType.of(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)),
                releaseId, round);
    }
}
