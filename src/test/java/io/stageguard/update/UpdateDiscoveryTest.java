package io.stageguard.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.stageguard.demo.FixturePlugin;
import io.stageguard.site.SiteCaches;
import io.stageguard.testsupport.OwnPagesQa;
import io.stageguard.testsupport.PluginRepository;
import io.stageguard.testsupport.ReleaseDriver;
import io.stageguard.testsupport.ReleasingApplicationTest;
import io.stageguard.testsupport.WordPressOrgStandIn;
import io.stageguard.testsupport.WordPressReleases;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Update discovery against wordpress.org's API as served on 127.0.0.1 in its real shapes, and a
 * vendor folder: what live runs, the newest version each item can really take (requirements read
 * from that version's own package), what is held back and why; then a release started from it,
 * and custom code released from a git ref pinned to its commit.
 */
@OwnPagesQa
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpdateDiscoveryTest extends ReleasingApplicationTest {
    @Autowired
    JdbcTemplate jdbc;

    private static final WordPressOrgStandIn WORDPRESS_ORG = startStandIn();
    private static Path vendor;

    @DynamicPropertySource
    static void updateSources(DynamicPropertyRegistry registry) {
        registry.add("stageguard.updates.wordpress-org-api", WORDPRESS_ORG::url);
        registry.add("stageguard.updates.wordpress-org-downloads", WORDPRESS_ORG::downloadsUrl);
        registry.add(
                "stageguard.updates.vendor-folder", () -> work.resolve("vendor").toString());
        registry.add(
                "stageguard.updates.git-repositories",
                () -> work.resolve("repos").toString());
    }

    @BeforeAll
    static void publishVersions() throws IOException {
        Path packages = work.resolve("org");
        String hello110 = fixture("1.1.0");
        WORDPRESS_ORG
                .plugin(FixturePlugin.SLUG, "1.0.0", FixturePlugin.zip("1.0.0", packages))
                .plugin(
                        FixturePlugin.SLUG,
                        "1.0.1",
                        zip(
                                packages.resolve("hello-1.0.1.zip"),
                                Map.of(
                                        FixturePlugin.MAIN_FILE,
                                        fixture("1.0.0").replace("Version: 1.0.0", "Version: 1.0.1"))))
                .plugin(FixturePlugin.SLUG, "1.1.0", FixturePlugin.zip("1.1.0", packages))
                // the newest version needs a PHP no machine has: the API's "requires_php" speaks of it only for the
                // latest version
                .plugin(
                        FixturePlugin.SLUG,
                        "2.0.0",
                        zip(
                                packages.resolve("hello-2.0.0.zip"),
                                Map.of(
                                        FixturePlugin.MAIN_FILE,
                                        hello110.replace("Version: 1.1.0", "Version: 2.0.0\n * Requires PHP: 99.0"))))
                .theme("twentytwentythree", "1.1", theme(packages, "1.1"))
                .core("6.5.5", WordPressReleases.zip("6.5", work.resolve("core")));
        // wordpress.org's checksums of 6.1.9 are those of Debian's tree; then one core file is edited on live
        WORDPRESS_ORG.coreChecksums("6.1.9", demo.site().live().documentRoot());
        Files.writeString(
                demo.site().live().documentRoot().resolve("readme.html"),
                "<!-- edited on live -->\n",
                java.nio.file.StandardOpenOption.APPEND);
        // an in-house plugin wordpress.org does not host: its update check leaves it out, so nobody asks for its
        // versions
        Path inhouse = demo.site().live().wpContent().resolve("plugins/sg-inhouse");
        Files.createDirectories(inhouse);
        Files.writeString(
                inhouse.resolve("sg-inhouse.php"), "<?php\n/*\n * Plugin Name: SG In-house\n * Version: 3.1.0\n */\n");
        vendor = Files.createDirectories(work.resolve("vendor"));
        Path premium = demo.site().live().wpContent().resolve("plugins/sg-premium");
        Files.createDirectories(premium);
        Files.writeString(premium.resolve("sg-premium.php"), premiumPlugin("1.0.0"));
        zip(
                vendor.resolve("SG Premium (licensed build).zip"),
                Map.of("sg-premium/sg-premium.php", premiumPlugin("1.2.0")));
        // the agency's own plugin, whose folder name a wordpress.org plugin happens to share
        Path custom = demo.site().live().wpContent().resolve("plugins/sg-tools");
        Files.createDirectories(custom);
        Files.writeString(
                custom.resolve("sg-tools.php"),
                "<?php\n/*\n * Plugin Name: SG Tools\n * Version: 1.0.0\n * Update URI: https://git.acme.example/sg-tools\n */\n");
        WORDPRESS_ORG.plugin(
                "sg-tools",
                "9.0.0",
                zip(
                        packages.resolve("sg-tools.9.0.0.zip"),
                        Map.of(
                                "sg-tools/sg-tools.php",
                                "<?php\n/*\n * Plugin Name: Someone else's tools\n * Version: 9.0.0\n */\n")));
    }

    @AfterAll
    static void stopStandIn() {
        WORDPRESS_ORG.close();
    }

    @BeforeEach
    void registerSite() {
        registerAcme(SiteCaches.NONE);
    }

    @Test
    @Order(1)
    void theUpdatesLiveCanTakeAreFoundWithWhatHoldsNewerVersionsBackAndOneIsReleased() {
        assertThat(rest.withBasicAuth("dev", "dev")
                        .getForEntity("/api/sites/acme/updates", String.class)
                        .getStatusCode()
                        .value())
                .as("finding updates downloads packages: not a link to follow")
                .isEqualTo(405);
        ResponseEntity<Map<String, Object>> answer = rest.withBasicAuth("dev", "dev")
                .exchange(
                        "/api/sites/acme/updates",
                        HttpMethod.POST,
                        JSON_NO_BODY,
                        new ParameterizedTypeReference<>() {});
        assertThat(answer.getStatusCode()).as("%s", answer.getBody()).isEqualTo(HttpStatus.OK);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> updates =
                (List<Map<String, Object>>) answer.getBody().get("updates");
        assertThat(item(updates, "wordpress"))
                .containsEntry("type", "core")
                .containsEntry("installed", "6.1.9")
                .containsEntry("newestCompatible", "6.5.5")
                .containsEntry("step", "minor")
                .containsEntry("source", "wordpress.org");
        Map<String, Object> hello = item(updates, FixturePlugin.SLUG);
        assertThat(hello)
                .containsEntry("installed", "1.0.0")
                .containsEntry("active", true)
                .containsEntry("available", List.of("2.0.0", "1.1.0", "1.0.1"))
                .containsEntry("newestCompatible", "1.1.0")
                .containsEntry("step", "minor");
        assertThat((List<String>) hello.get("heldBack"))
                .singleElement()
                .asString()
                .startsWith("2.0.0: requires PHP 99.0, the site runs 8.");
        assertThat(item(updates, "twentytwentythree"))
                .containsEntry("type", "theme")
                .containsEntry("installed", "1.0")
                .containsEntry("newestCompatible", "1.1");
        assertThat(item(updates, "sg-premium"))
                .containsEntry("source", "vendor folder")
                .containsEntry("active", false)
                .containsEntry("newestCompatible", "1.2.0");
        assertThat(updates)
                .as("a plugin whose Update URI names another host is not wordpress.org's")
                .noneMatch(u -> "sg-tools".equals(u.get("slug")));
        assertThat(WORDPRESS_ORG.requests())
                .as("2.0.0's requirements come from its own package")
                .contains(
                        "GET /downloads/plugin/hello-stageguard.2.0.0.zip",
                        "GET /downloads/plugin/hello-stageguard.1.1.0.zip")
                .as("the vendor folder answers for its plugins first")
                .noneMatch(r -> r.contains("sg-premium"))
                .as("one update check for the plugins")
                .contains("POST /plugins/update-check/1.1/")
                .as("what it does not host is not asked about")
                .noneMatch(r -> r.contains("sg-inhouse"));
        assertThat(rest.withBasicAuth("otherclient", "otherclient")
                        .exchange("/api/sites/acme/updates", HttpMethod.POST, JSON_NO_BODY, String.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.FORBIDDEN);
        ResponseEntity<String> again = rest.withBasicAuth("dev", "dev")
                .exchange("/api/sites/acme/updates", HttpMethod.POST, JSON_NO_BODY, String.class);
        assertThat(again.getStatusCode())
                .as("live is not searched again within a minute")
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(Integer.parseInt(again.getHeaders().getFirst("Retry-After"))).isBetween(1, 60);
        assertThat(again.getBody()).contains("were searched less than a minute ago");

        assertThat(errors(start(Map.of("include", List.of("no-such-plugin")))))
                .containsEntry("updates.include[0]", "live has no no-such-plugin that a source has a newer version of");
        assertThat(errors(start(Map.of("include", "all", "max", "huge"))))
                .containsEntry("updates.max", "must be patch, minor or major");
        Path hello200 = work.resolve("org/hello-2.0.0.zip");
        assertThat(errors(startWith(Map.of(
                                "type",
                                "plugin",
                                "slug",
                                FixturePlugin.SLUG,
                                "version",
                                "2.0.0",
                                "package",
                                hello200.toString())))
                        .get("changes[0]"))
                .as("a version whose own requirements live does not meet, named before anything is applied")
                .startsWith("plugin hello-stageguard 2.0.0: requires PHP 99.0, the site runs 8.");
        assertThat(errors(startWith(Map.of("type", "plugin", "slug", "sg-premium", "package", hello200.toString()))))
                .containsEntry(
                        "changes[0].package",
                        "is a package for hello-stageguard, not sg-premium (its one top folder names it)");
        assertThat(errors(start(Map.of("include", List.of("twentytwentythree"), "max", "patch")))
                        .get("updates.include[0]"))
                .isEqualTo(
                        "no version of twentytwentythree newer than 1.0 fits: 1.1: a minor step, more than the patch steps asked for");

        // a patch from wordpress.org: the release-risk table lets the developer approve alone, and a low-risk plan goes
        // straight on
        ResponseEntity<Map<String, Object>> patch =
                start(Map.of("include", List.of(FixturePlugin.SLUG), "max", "patch"));
        assertThat(patch.getStatusCode()).as("%s", patch.getBody()).isEqualTo(HttpStatus.CREATED);
        String patchRelease = (String) patch.getBody().get("releaseId");
        driver().complete(
                        "dev2",
                        "developers",
                        driver().awaitTask(patchRelease, "Task_DeveloperSignoff"),
                        Map.of("developerDecision", "approve"));
        Map<String, Object> patched = driver().awaitEnd(patchRelease);
        assertThat(patched.get("outcome"))
                .as("%s", ReleaseDriver.variables(patched))
                .isEqualTo("Released");
        assertThat(ReleaseDriver.variables(patched))
                .containsEntry("approvalRoute", "The developer approves alone: patch updates from wordpress.org only")
                .containsEntry("clientSignoffNeeded", false);
        assertThat(history.createHistoricTaskInstanceQuery()
                        .processInstanceBusinessKey(patchRelease)
                        .taskDefinitionKey("Task_ClientSignoff")
                        .count())
                .as("the client was never asked")
                .isZero();
        assertThat(history.createHistoricVariableInstanceQuery()
                        .processInstanceId(history.createHistoricProcessInstanceQuery()
                                .processInstanceBusinessKey(patchRelease)
                                .processDefinitionKey("approval-and-signoff")
                                .singleResult()
                                .getId())
                        .variableName("changeNotes")
                        .singleResult()
                        .getValue()
                        .toString())
                .as("the forms say where to read what the patch brings")
                .contains("\"steps\":\"1.0.0 → 1.0.1 (patch)\"")
                .contains("\"readAt\":\"https://wordpress.org/plugins/hello-stageguard/#developers\"");
        assertThat(ReleaseDriver.variables(patched).get("parityReport").toString())
                .as("live's modified core file, in the clone's parity report")
                .contains("item=wordpress.coreFiles, live=1 modified: readme.html, staging=1 modified: readme.html");
        assertThat(jdbc.queryForObject(
                        "select integrity from sg_applied_change where release_id = ?", String.class, patchRelease))
                .isEqualTo("1 file(s) match the package; 1 match wordpress.org's published checksums");

        ResponseEntity<Map<String, Object>> started =
                start(Map.of("include", List.of(FixturePlugin.SLUG), "max", "minor"));
        assertThat(started.getStatusCode()).as("%s", started.getBody()).isEqualTo(HttpStatus.CREATED);
        String release = (String) started.getBody().get("releaseId");
        ReleaseDriver driver = driver();
        driver.signOff(release);
        driver.confirmPlan(release);
        Map<String, Object> status = driver.awaitEnd(release);
        assertThat(status.get("outcome"))
                .as("%s", ReleaseDriver.variables(status))
                .isEqualTo("Released");
        assertThat(ReleaseDriver.variables(status))
                .containsEntry(
                        "approvalRoute", "Developer and client approve: no rule lets the developer approve alone");
        assertThat(ReleaseDriver.variables(status).get("changes").toString())
                .contains("version=1.1.0")
                .contains("downloads");
        assertThat(demo.site().live().wpContent().resolve("plugins/" + FixturePlugin.MAIN_FILE))
                .content()
                .contains("Version: 1.1.0");
    }

    @Test
    @Order(2)
    void customCodeFromAGitRefIsPinnedToItsCommitWhenAcceptedAndThatCommitIsReleased() throws Exception {
        try (PluginRepository repository = PluginRepository.create(work.resolve("repos/acme-custom.git"))) {
            RevCommit tested = repository.push("sg-custom", "1.0.0", null);
            Map<String, Object> git =
                    Map.of("repository", repository.origin().toString(), "ref", "main", "path", "plugins/sg-custom");
            Map<String, Object> body = Map.of(
                    "siteId",
                    "acme",
                    "qaPaths",
                    List.of("/"),
                    "changes",
                    List.of(Map.of("type", "plugin", "slug", "sg-custom", "git", git)));
            ResponseEntity<Map<String, Object>> started = rest.withBasicAuth("ci", "ci")
                    .exchange(
                            "/api/releases",
                            HttpMethod.POST,
                            new HttpEntity<>(body),
                            new ParameterizedTypeReference<>() {});
            assertThat(started.getStatusCode()).as("%s", started.getBody()).isEqualTo(HttpStatus.CREATED);
            String release = (String) started.getBody().get("releaseId");
            ReleaseDriver driver = driver();
            driver.awaitTask(release, "Task_DeveloperSignoff");
            repository.push("sg-custom", "1.1.0", null);
            driver.signOff(release);
            driver.confirmPlan(release);
            Map<String, Object> status = driver.awaitEnd(release);
            assertThat(status.get("outcome"))
                    .as("%s", ReleaseDriver.variables(status))
                    .isEqualTo("Released");
            assertThat(demo.site().live().wpContent().resolve("plugins/sg-custom/sg-custom.php"))
                    .as("the commit accepted, not the branch's newer one")
                    .content()
                    .contains("Version: 1.0.0");
            assertThat(jdbc.queryForMap(
                            "select version, git_commit, git_source from sg_applied_change where release_id = ?",
                            release))
                    .containsEntry("VERSION", "1.0.0")
                    .containsEntry("GIT_COMMIT", tested.name())
                    .containsEntry(
                            "GIT_SOURCE",
                            repository.origin() + " plugins/sg-custom @ main ("
                                    + tested.name().substring(0, 12) + ")");
        }
        ResponseEntity<List<Map<String, Object>>> history = rest.withBasicAuth("client", "client")
                .exchange("/api/sites/acme/history", HttpMethod.GET, null, new ParameterizedTypeReference<>() {});
        assertThat(history.getBody())
                .as("newest first, each with its outcome and changes")
                .extracting(h -> h.get("outcome"))
                .containsExactly("Released", "Released", "Released");
        assertThat(history.getBody().get(0).get("changes").toString())
                .contains("slug=sg-custom", "replaces=none", "version=1.0.0", "gitCommit=");
        assertThat(history.getBody().get(1).get("changes").toString())
                .contains("slug=hello-stageguard", "replaces=1.0.1", "version=1.1.0", "sha256=");
        assertThat(rest.withBasicAuth("otherclient", "otherclient")
                        .getForEntity("/api/sites/acme/history", String.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.FORBIDDEN);

        Map<String, Object> missingRef = Map.of(
                "siteId",
                "acme",
                "changes",
                List.of(Map.of(
                        "type",
                        "plugin",
                        "slug",
                        "sg-custom",
                        "git",
                        Map.of(
                                "repository",
                                work.resolve("repos/acme-custom.git").toString(),
                                "ref",
                                "release-9"))));
        assertThat(errors(rest.withBasicAuth("ci", "ci")
                        .exchange(
                                "/api/releases",
                                HttpMethod.POST,
                                new HttpEntity<>(missingRef),
                                new ParameterizedTypeReference<>() {})))
                .containsOnlyKeys("changes[0].git.ref");
    }

    private ResponseEntity<Map<String, Object>> startWith(Map<String, Object> change) {
        Map<String, Object> body = Map.of("siteId", "acme", "qaPaths", List.of("/"), "changes", List.of(change));
        return rest.withBasicAuth("ci", "ci")
                .exchange(
                        "/api/releases",
                        HttpMethod.POST,
                        new HttpEntity<>(body),
                        new ParameterizedTypeReference<>() {});
    }

    private ResponseEntity<Map<String, Object>> start(Map<String, Object> updates) {
        Map<String, Object> body = Map.of("siteId", "acme", "qaPaths", List.of("/"), "updates", updates);
        return rest.withBasicAuth("ci", "ci")
                .exchange(
                        "/api/releases",
                        HttpMethod.POST,
                        new HttpEntity<>(body),
                        new ParameterizedTypeReference<>() {});
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> errors(ResponseEntity<Map<String, Object>> answer) {
        assertThat(answer.getStatusCode()).as("%s", answer.getBody()).isEqualTo(HttpStatus.BAD_REQUEST);
        return (Map<String, String>) answer.getBody().get("errors");
    }

    private static Map<String, Object> item(List<Map<String, Object>> updates, String slug) {
        return updates.stream()
                .filter(u -> slug.equals(u.get("slug")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no update for " + slug + " in " + updates));
    }

    private static String premiumPlugin(String version) {
        return "<?php\n/*\n * Plugin Name: SG Premium\n * Version: " + version + "\n */\n";
    }

    private static String fixture(String version) throws IOException {
        try (var in = FixturePlugin.class.getResourceAsStream("/demo/" + FixturePlugin.SLUG + "/" + version + ".php")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Live's twentytwentythree, declaring {@code version} in its style.css. */
    private static Path theme(Path folder, String version) throws IOException {
        Path source = demo.site().live().wpContent().resolve("themes/twentytwentythree");
        Map<String, String> entries = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = "twentytwentythree/" + source.relativize(f);
                entries.put(
                        name,
                        name.equals("twentytwentythree/style.css")
                                ? Files.readString(f).replaceFirst("Version: [^\\n]+", "Version: " + version)
                                : null);
            }
        }
        Path zip = folder.resolve("twentytwentythree." + version + ".zip");
        try (OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(file)) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                if (e.getValue() != null) out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                else Files.copy(source.resolve(e.getKey().substring("twentytwentythree/".length())), out);
                out.closeEntry();
            }
        }
        return zip;
    }

    private static Path zip(Path zip, Map<String, String> entries) throws IOException {
        Files.createDirectories(zip.getParent());
        try (OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(file)) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return zip;
    }

    private static WordPressOrgStandIn startStandIn() {
        try {
            return WordPressOrgStandIn.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
