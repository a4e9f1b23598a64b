package io.stageguard.clone;

import io.stageguard.site.DatabaseConnection;
import io.stageguard.site.PhpProperties;
import io.stageguard.site.Site;
import io.stageguard.site.SiteEnvironment;
import io.stageguard.site.registry.StagingProof;
import io.stageguard.support.Sha256;
import io.stageguard.wordpress.WordPressPhp;
import java.nio.file.Path;
import java.util.List;

/** The clone side of {@link CloneBenchmark}, in a JVM of its own so that its time and peak memory are measured alone. */
public final class CloneBenchmarkMain {
    private CloneBenchmarkMain() {}

    /** Arguments: live URL, live root, MariaDB port, staging URL, staging root (databases as CloneBenchmark makes them). */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[2]);
        Site site = new Site(
                "bench",
                new SiteEnvironment(
                        args[0],
                        Path.of(args[1]),
                        new DatabaseConnection("127.0.0.1", port, "bench_live", "bench_live", "live-pw", "wp_")),
                new SiteEnvironment(
                        args[3],
                        Path.of(args[4]),
                        new DatabaseConnection(
                                "127.0.0.1", port, "bench_staging", "bench_staging", "staging-pw", "wp_")));
        StagingCloner cloner = new StagingCloner(
                new CloneProperties(null, null, null, false, false, null),
                new StagingProof(List::of),
                new WordPressPhp(PhpProperties.defaults()));
        System.out.println(cloner.cloneFiles(site, Sha256.of("benchmark")).summary());
        System.out.println(cloner.cloneDatabase(site).summary());
    }
}
