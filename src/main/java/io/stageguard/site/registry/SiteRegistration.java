package io.stageguard.site.registry;

import io.stageguard.site.PhpProperties;
import io.stageguard.site.Site;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The one way a site definition gets in, from the API or from configuration: its shape checked,
 * then staging proven apart from live and every other site by the same {@link StagingProof} every
 * clone takes again before it writes.
 */
@Component
public class SiteRegistration {
    private final SiteRegistry registry;
    private final StagingProof proof;
    private final PhpProperties php;

    private final SecretRefPolicy secrets;

    public SiteRegistration(SiteRegistry registry, StagingProof proof, PhpProperties php, SecretRefPolicy secrets) {
        this.registry = registry;
        this.secrets = secrets;
        this.proof = proof;
        this.php = php;
    }

    /** @return field to problem; empty when the site was stored */
    public Map<String, String> register(Site site) {
        Map<String, String> problems =
                SiteValidator.problems(site, php.runtimes().keySet());
        if (problems.isEmpty()) problems = secrets.problems(site);
        if (problems.isEmpty()) problems = proof.problems(site);
        if (problems.isEmpty()) registry.save(site);
        return problems;
    }
}
