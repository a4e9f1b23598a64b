package io.stageguard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stageguard.StageguardProperties;
import io.stageguard.release.ReleaseRecords;
import io.stageguard.site.Site;
import io.stageguard.site.SiteAccess;
import io.stageguard.site.registry.SiteRegistry;
import io.stageguard.testsupport.DemoSiteApplicationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Attacks and mistakes through Stageguard's REST API, against a real site on a real MariaDB. The
 * job executor is off: what is tested is what the API lets in, not the releases it starts.
 */
class ApiSecurityTest extends DemoSiteApplicationTest {

    @Autowired
    TestRestTemplate rest;

    @Autowired
    SiteRegistry sites;

    @Autowired
    RuntimeService runtime;

    @Autowired
    TaskService tasks;

    @Autowired
    IdentityService identity;

    @Autowired
    ReleaseRecords releases;

    @Autowired
    StageguardProperties app;

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @DynamicPropertySource
    static void noJobExecution(DynamicPropertyRegistry registry) {
        registry.add("camunda.bpm.job-execution.enabled", () -> "false");
        registry.add("stageguard.secrets.folder", () -> work.resolve("secrets").toString());
    }

    @AfterEach
    void cancelEverything() {
        runtime.createProcessInstanceQuery()
                .list()
                .forEach(p -> runtime.deleteProcessInstance(p.getId(), "test cleanup"));
    }

    /** The demo site's definition as JSON, with {@code change} applied to it. */
    private Map<String, Object> definition(java.util.function.Consumer<Map<String, Object>> change) {
        Map<String, Object> live = environment(demo.site().live());
        Map<String, Object> staging = environment(demo.site().staging());
        Map<String, Object> body = new LinkedHashMap<>(Map.of(
                "live",
                live,
                "staging",
                staging,
                "access",
                Map.of("developers", Map.of("users", List.of("dev")), "clients", Map.of("users", List.of("client")))));
        change.accept(body);
        return body;
    }

    private static Map<String, Object> environment(io.stageguard.site.SiteEnvironment env) {
        var db = env.database();
        Map<String, Object> database = new LinkedHashMap<>(Map.of(
                "host",
                db.host(),
                "port",
                db.port(),
                "name",
                db.name(),
                "user",
                db.user(),
                "password",
                db.password(),
                "tablePrefix",
                db.tablePrefix()));
        return new LinkedHashMap<>(Map.of(
                "baseUrl", env.baseUrl(), "documentRoot", env.documentRoot().toString(), "database", database));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> part(Map<String, Object> body, String... path) {
        Map<String, Object> node = body;
        for (String key : path) node = (Map<String, Object>) node.get(key);
        return node;
    }

    private ResponseEntity<Map<String, Object>> put(String siteId, Map<String, Object> body) {
        return rest.withBasicAuth("ci", "ci")
                .exchange(
                        "/api/sites/" + siteId,
                        HttpMethod.PUT,
                        new HttpEntity<>(body),
                        new ParameterizedTypeReference<>() {});
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> errors(ResponseEntity<Map<String, Object>> answer) {
        return (Map<String, String>) answer.getBody().get("errors");
    }

    @Test
    void aPhpBinaryInASiteDefinitionIsRefusedNamingTheField() {
        ResponseEntity<Map<String, Object>> answer =
                put("evil", definition(b -> part(b, "staging").put("phpBinary", "/bin/sh")));
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(errors(answer)).containsOnlyKeys("staging.phpBinary");
        ResponseEntity<Map<String, Object>> runtime =
                put("evil", definition(b -> part(b, "staging").put("phpRuntime", "/bin/sh")));
        assertThat(runtime.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(errors(runtime)).containsOnlyKeys("staging.phpRuntime");
        assertThat(sites.find("evil")).isEmpty();
    }

    @Test
    void aStagingDatabaseThatIsLivesThroughAHostAliasIsRefusedAtRegistration() {
        ResponseEntity<Map<String, Object>> answer = put("alias", definition(b -> {
            Map<String, Object> stagingDb = part(b, "staging", "database");
            stagingDb.putAll(part(b, "live", "database"));
            stagingDb.put("host", "localhost");
        }));
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(errors(answer).get("staging.database")).contains("is live's database");
        assertThat(sites.find("alias")).isEmpty();
    }

    @Test
    void aBodylessPostFromAnotherSiteCannotStartARefresh() {
        // what a cross-site HTML form (or an img/fetch without preflight) can send along with cached basic credentials
        org.springframework.http.HttpHeaders form = new org.springframework.http.HttpHeaders();
        form.setContentType(org.springframework.http.MediaType.APPLICATION_FORM_URLENCODED);
        sites.save(demo.site());
        assertThat(rest.withBasicAuth("ci", "ci")
                        .exchange(
                                "/api/sites/acme/staging-refresh",
                                HttpMethod.POST,
                                new HttpEntity<>(form),
                                String.class)
                        .getStatusCode()
                        .value())
                .isEqualTo(415);
        assertThat(rest.withBasicAuth("ci", "ci")
                        .exchange("/api/sites/acme/staging-refresh", HttpMethod.POST, HttpEntity.EMPTY, String.class)
                        .getStatusCode()
                        .value())
                .isEqualTo(415);
        assertThat(runtime.createProcessInstanceQuery().count()).isZero();
    }

    @Test
    void nullsInsideListsAndOverlongValuesAnswer400NamingTheField() {
        ResponseEntity<Map<String, Object>> flows =
                put("nulls", definition(b -> b.put("qa", Map.of("flows", java.util.Arrays.asList((Object) null)))));
        assertThat(flows.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(errors(flows)).containsOnlyKeys("qa.flows[0]");
        sites.save(demo.site());
        Map<String, Object> change = new LinkedHashMap<>(Map.of(
                "type",
                "plugin",
                "slug",
                "hello-stageguard",
                "version",
                "1".repeat(65),
                "package",
                demo.fixturePackage("1.1.0").toString()));
        ResponseEntity<Map<String, Object>> longVersion = rest.withBasicAuth("ci", "ci")
                .exchange(
                        "/api/releases",
                        HttpMethod.POST,
                        new HttpEntity<>(Map.of("siteId", "acme", "changes", List.of(change))),
                        new ParameterizedTypeReference<>() {});
        assertThat(longVersion.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(errors(longVersion)).containsOnlyKeys("changes[0].version");
        ResponseEntity<Map<String, Object>> nullChange = rest.withBasicAuth("ci", "ci")
                .exchange(
                        "/api/releases",
                        HttpMethod.POST,
                        new HttpEntity<>(Map.of("siteId", "acme", "changes", java.util.Arrays.asList((Object) null))),
                        new ParameterizedTypeReference<>() {});
        assertThat(nullChange.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(errors(nullChange)).containsKey("changes[0]");
    }

    @Test
    void theDataFolderWithDumpsAndReportsIsReadableByStageguardOnly() throws Exception {
        for (Path dir : List.of(app.dataDir(), app.backupsDir(), app.reportsDir())) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                    .as(dir.toString())
                    .isEqualTo("rwx------");
        }
    }

    @Test
    void passwordsAreStoredEncryptedOrNotAtAllAndSecretFlowValuesAreMasked() throws Exception {
        Path passwordFile = Files.createDirectories(work.resolve("secrets")).resolve("staging-db-password");
        Files.writeString(passwordFile, demo.site().staging().database().password() + "\n");
        // a live of its own beside acme's (one live, one site): another root, another table prefix in the same database
        Path secretsLive = Files.createDirectories(work.resolve("secrets-live"));
        Files.writeString(secretsLive.resolve("wp-load.php"), "<?php // another site's WordPress\n");
        ResponseEntity<Map<String, Object>> answer = put("secrets", definition(b -> {
            part(b, "live").put("documentRoot", secretsLive.toString());
            part(b, "live", "database").put("tablePrefix", "secl_");
            part(b, "staging", "database").remove("password");
            part(b, "staging", "database").put("passwordRef", "file:" + passwordFile);
            // a staging of its own beside acme's: another folder, another table prefix in the same database
            part(b, "staging")
                    .put("documentRoot", work.resolve("secrets-staging").toString());
            part(b, "staging", "database").put("tablePrefix", "sec_");
            b.put(
                    "qa",
                    Map.of(
                            "flows",
                            List.of(Map.of(
                                    "name",
                                    "log in",
                                    "steps",
                                    List.of(
                                            Map.of("action", "visit", "path", "/wp-login.php"),
                                            Map.of(
                                                    "action",
                                                    "fill",
                                                    "selector",
                                                    "#user_pass",
                                                    "value",
                                                    "hunter2-flow-secret",
                                                    "secret",
                                                    true))))));
        }));
        assertThat(answer.getStatusCode()).as(String.valueOf(answer.getBody())).isEqualTo(HttpStatus.OK);
        String stored = jdbc.queryForObject("select definition from sg_site where id = 'secrets'", String.class);
        assertThat(stored)
                .doesNotContain(demo.site().live().database().password())
                .doesNotContain(demo.site().staging().database().password())
                .doesNotContain("hunter2-flow-secret")
                .contains("enc:v1:")
                .contains("file:" + passwordFile);
        assertThat(sites.get("secrets").qa().flows().get(0).steps().get(1).value())
                .as("a flow's secret, opened again for QA")
                .isEqualTo("hunter2-flow-secret");
        assertThat(sites.get("secrets").live().database().password())
                .as("opened again for use")
                .isEqualTo(demo.site().live().database().password());
        assertThat(sites.get("secrets").staging().database().secret())
                .isEqualTo(demo.site().staging().database().password());
        String shown = rest.withBasicAuth("operator", "operator").getForObject("/api/sites/secrets", String.class);
        assertThat(shown)
                .doesNotContain("hunter2-flow-secret")
                .doesNotContain(demo.site().live().database().password())
                .contains("******");
    }

    /** Review 954a1fc, L5: a reference resolves with Stageguard's rights, and its value goes to a server the definition names. */
    @Test
    void aSecretReferenceNamesOnlyASitesSecretNeverStageguardsOwn() throws Exception {
        Path outside = Files.writeString(work.resolve("elsewhere-password"), "x\n");
        Files.createDirectories(work.resolve("secrets"));
        Files.createSymbolicLink(work.resolve("secrets/innocent"), app.dataDir().resolve("secret.key"));
        for (String ref : List.of(
                "env:STAGEGUARD_SECRET_KEY",
                "env:PATH",
                "file:" + app.dataDir().resolve("secret.key"),
                "file:/etc/shadow",
                "file:" + outside,
                "file:" + work.resolve("secrets/../elsewhere-password"),
                "file:" + work.resolve("secrets/innocent"))) {
            ResponseEntity<Map<String, Object>> answer = put("refs", definition(b -> {
                part(b, "staging", "database").remove("password");
                part(b, "staging", "database").put("passwordRef", ref);
            }));
            assertThat(answer.getStatusCode()).as(ref).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(errors(answer)).as(ref).containsKey("staging.database.passwordRef");
        }
        assertThat(sites.find("refs")).isEmpty();
        ResponseEntity<Map<String, Object>> answer = put("refs", definition(b -> {
            part(b, "staging", "database").remove("password");
            part(b, "staging", "database").put("passwordRef", "env:STAGEGUARD_SITE_ACME_DB");
            b.put("webhook", Map.of("urlRef", "env:STAGEGUARD_SECRET_KEY"));
        }));
        assertThat(errors(answer)).containsOnlyKeys("webhook.urlRef");
    }

    @Test
    void aDatabaseHostCarryingJdbcParametersIsRefused() {
        ResponseEntity<Map<String, Object>> answer = put(
                "jdbc",
                definition(b ->
                        part(b, "staging", "database").put("host", "127.0.0.1:3306/x?allowLoadLocalInfile=true&")));
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(errors(answer)).containsKey("staging.database.host");
    }

    /**
     * Review 954a1fc, H4: a change's zip is read only from the package folders. Another site's zip
     * (here one inside a registered site's root, as a backup plugin leaves them), a link leading
     * there, a system file and a path that does not exist get one and the same answer, so the
     * answer tells nothing about the machine; the site's own package is accepted.
     */
    @Test
    void aPackageOutsideThePackageFoldersIsRefusedWithOneTextWhateverItIs() throws Exception {
        sites.save(demo.site());
        Path backupZip = demo.site().live().documentRoot().resolve("wp-content/uploads/backup-plugin/site-backup.zip");
        Files.createDirectories(backupZip.getParent());
        Files.copy(demo.fixturePackage("1.1.0"), backupZip);
        Path link = Files.createTempDirectory("stageguard-h4-").resolve("innocent.zip");
        Files.createSymbolicLink(link, backupZip);
        List<String> answers = new ArrayList<>();
        for (Path zip : List.of(backupZip, link, Path.of("/etc/shadow"), Path.of("/var/nothing/here.zip"))) {
            ResponseEntity<Map<String, Object>> answer = startRelease(zip);
            assertThat(answer.getStatusCode().value()).as(zip.toString()).isEqualTo(400);
            answers.add(errors(answer).get("changes[0].package"));
        }
        assertThat(answers).as("one text for every refusal").containsOnly(answers.get(0));
        assertThat(answers.get(0))
                .contains("is not a package Stageguard may read")
                .doesNotContain("shadow", "no such file");
        assertThat(runtime.createProcessInstanceQuery().count()).isZero();

        assertThat(startRelease(demo.fixturePackage("1.1.0")).getStatusCode().value())
                .as("a zip in a package folder")
                .isEqualTo(201);
    }

    private ResponseEntity<Map<String, Object>> startRelease(Path zip) {
        return startRelease(zip.toString());
    }

    private ResponseEntity<Map<String, Object>> startRelease(String packageRef) {
        Map<String, Object> body = Map.of(
                "siteId",
                "acme",
                "changes",
                List.of(Map.of(
                        "type",
                        "plugin",
                        "slug",
                        io.stageguard.demo.FixturePlugin.SLUG,
                        "version",
                        "1.1.0",
                        "package",
                        packageRef)));
        return rest.withBasicAuth("ci", "ci")
                .exchange(
                        "/api/releases",
                        HttpMethod.POST,
                        new HttpEntity<>(body),
                        new ParameterizedTypeReference<>() {});
    }

    /** Issue 22: a developer's zip is rarely on Stageguard's machine; it is sent, stored by its hash and named by it. */
    @Test
    void aSentPackageIsNamedByItsHashAndOnlyZipsFromOperatorsAreTaken() throws Exception {
        sites.save(demo.site());
        byte[] zip = Files.readAllBytes(demo.fixturePackage("1.1.0"));
        String sha256 = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(zip));

        ResponseEntity<Map<String, Object>> sent = sendPackage("ci", zip);
        assertThat(sent.getStatusCode().value()).isEqualTo(201);
        assertThat(sent.getBody())
                .containsEntry("sha256", sha256)
                .containsEntry("reference", "sha256:" + sha256)
                .containsEntry("bytes", zip.length);
        assertThat(sendPackage("ci", zip).getBody())
                .as("the same zip twice is one upload")
                .containsEntry("sha256", sha256);
        assertThat(errors(sendPackage("ci", "<?php system($_GET['c']);".getBytes())))
                .containsEntry("body", "is not a zip file");
        assertThat(errors(sendPackage("ci", new byte[0])).get("body")).startsWith("is empty");
        assertThat(sendPackage("dev", zip).getStatusCode().value())
                .as("a site's developer starts no release, so sends no package")
                .isEqualTo(403);

        ResponseEntity<Map<String, Object>> unknown = startRelease("sha256:" + "0".repeat(64));
        assertThat(errors(unknown))
                .containsEntry(
                        "changes[0].package", "names no uploaded package: send the zip to POST /api/packages first");
        assertThat(errors(startRelease("sha256:../../secret.key")).get("changes[0].package"))
                .startsWith("must be sha256: followed by");

        ResponseEntity<Map<String, Object>> started = startRelease("sha256:" + sha256);
        assertThat(started.getStatusCode().value()).isEqualTo(201);
        String changes =
                String.valueOf(runtime.getVariable((String) started.getBody().get("processInstanceId"), "changes"));
        assertThat(changes)
                .as("the release names the stored file, which nobody can replace")
                .contains(app.dataDir()
                        .resolve("downloads/uploads/" + sha256 + ".zip")
                        .toString());
    }

    private ResponseEntity<Map<String, Object>> sendPackage(String user, byte[] body) {
        org.springframework.http.HttpHeaders headers = new org.springframework.http.HttpHeaders();
        headers.setContentType(org.springframework.http.MediaType.parseMediaType("application/zip"));
        return rest.withBasicAuth(user, user)
                .exchange(
                        "/api/packages",
                        HttpMethod.POST,
                        new HttpEntity<>(body, headers),
                        new ParameterizedTypeReference<>() {});
    }

    /**
     * Review 954a1fc, M1: every step reads the definition anew, so live or staging may not move
     * while a release holds the site; and one live belongs to one site.
     */
    @Test
    void liveAndStagingStayPutWhileARunHoldsTheSiteAndOneLiveBelongsToOneSite() throws Exception {
        // the access tests' beta shares acme's live on purpose, saved past the registration that now refuses that
        jdbc.update("delete from sg_site where id = 'beta'");
        sites.save(demo.site());
        assertThat(rest.withBasicAuth("ci", "ci")
                        .exchange("/api/sites/acme/staging-refresh", HttpMethod.POST, JSON_NO_BODY, String.class)
                        .getStatusCode()
                        .value())
                .isEqualTo(201);
        Path elsewhere = Files.createDirectories(work.resolve("moved-live"));
        Files.writeString(elsewhere.resolve("wp-load.php"), "<?php // a WordPress that was never backed up\n");
        ResponseEntity<Map<String, Object>> moved =
                put("acme", definition(b -> part(b, "live").put("documentRoot", elsewhere.toString())));
        assertThat(moved.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(errors(moved))
                .containsOnlyKeys("live")
                .hasEntrySatisfying("live", p -> assertThat(p).contains("cannot change while"));
        ResponseEntity<Map<String, Object>> newStaging =
                put("acme", definition(b -> part(b, "staging", "database").put("tablePrefix", "stg2_")));
        assertThat(errors(newStaging)).containsOnlyKeys("staging");
        assertThat(sites.get("acme").live().documentRoot())
                .isEqualTo(demo.site().live().documentRoot());
        ResponseEntity<Map<String, Object>> retagged =
                put("acme", definition(b -> b.put("tags", List.of("client-approves-all"))));
        assertThat(retagged.getStatusCode())
                .as("its people, QA, caches and tags may change: %s", retagged.getBody())
                .isEqualTo(HttpStatus.OK);
        assertThat(sites.get("acme").tags()).containsExactly("client-approves-all");

        // a second site on acme's live: refused, whatever the run
        ResponseEntity<Map<String, Object>> twin = put(
                "acme-twin",
                definition(b -> part(b, "staging")
                        .put("documentRoot", work.resolve("twin-staging").toString())));
        assertThat(twin.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(errors(twin)).containsKeys("live.documentRoot", "live.database");
        assertThat(errors(twin).get("live.documentRoot")).contains("is site 'acme' live document root");
        assertThat(sites.find("acme-twin")).isEmpty();
    }

    @Test
    void twentySimultaneousStartsGiveOneReleaseAndNineteenConflicts() throws Exception {
        sites.save(demo.site());
        int starts = 20;
        ExecutorService pool = Executors.newFixedThreadPool(starts);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpStatus>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < starts; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return HttpStatus.valueOf(rest.withBasicAuth("ci", "ci")
                            .exchange("/api/sites/acme/staging-refresh", HttpMethod.POST, JSON_NO_BODY, String.class)
                            .getStatusCode()
                            .value());
                }));
            }
            go.countDown();
            List<HttpStatus> statuses = new ArrayList<>();
            for (Future<HttpStatus> answer : answers) statuses.add(answer.get());
            assertThat(statuses).filteredOn(HttpStatus.CREATED::equals).hasSize(1);
            assertThat(statuses).filteredOn(HttpStatus.CONFLICT::equals).hasSize(starts - 1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(runtime.createProcessInstanceQuery()
                        .processDefinitionKey("create-staging-clone")
                        .count())
                .isEqualTo(1);

        // the slot belongs to a process: once that is gone (finished, or cancelled in Cockpit), the site is free again
        runtime.createProcessInstanceQuery()
                .list()
                .forEach(p -> runtime.deleteProcessInstance(p.getId(), "operator cancelled"));
        assertThat(rest.withBasicAuth("ci", "ci")
                        .exchange("/api/sites/acme/staging-refresh", HttpMethod.POST, JSON_NO_BODY, String.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.CREATED);
    }

    /** Acme (client: client) and beta (client: otherclient), and a release of acme waiting at client sign-off. */
    private String acmeReleaseAtClientSignoff() throws Exception {
        sites.save(demo.site());
        Site acme = demo.site();
        sites.save(new Site(
                "beta",
                acme.live(),
                acme.staging(),
                acme.qa(),
                new SiteAccess(null, new SiteAccess.Approvers(List.of("otherclient"), null), null)));
        String releaseId = "rel-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        releases.create(releaseId, "acme", "ci");
        runtime.createProcessInstanceByKey("approval-and-signoff")
                .businessKey(releaseId)
                .setVariable("siteId", "acme")
                .setVariable("qaRound", 1)
                .setVariable("developerDecision", "approve")
                .startBeforeActivity("Task_ClientSignoff")
                .execute();
        Path report = Files.createDirectories(
                        app.reportsDir().resolve(releaseId).resolve("round-1"))
                .resolve("report.html");
        Files.writeString(report, "<html><script>alert(1)</script>report</html>");
        return releaseId;
    }

    /**
     * Review 954a1fc, L6: the access checks read the raw path; a path written oddly (dots, doubled
     * slashes, encoded letters, parameters, another case) reaches nothing the plain one does not.
     * Sent over a raw socket, so no client tidies the path on the way.
     */
    @Test
    void oddlyWrittenPathsReachNothingMoreThanThePlainOnes() throws Exception {
        String release = acmeReleaseAtClientSignoff();
        String report = "/round-1/report.html";
        for (String path : List.of(
                "/api/sites/./acme",
                "/api/sites//acme",
                "//api/sites/acme",
                "/api/sites/acme/",
                "/api/sites/%61cme",
                "/api/sites/acme;x=1",
                "/api/sites/beta/../acme",
                "/reports/x/../../api/sites/acme",
                "/API/sites/acme",
                "/reports/./" + release + report,
                "/reports//" + release + report,
                "/reports/" + release + "/../" + release + report,
                "/reports/%2e/" + release + report,
                "/reports/" + release + "%2f..%2f" + release + report)) {
            String answer = rawGet(path, "otherclient", "otherclient");
            assertThat(answer.lines().findFirst().orElse("")).as(path).doesNotContain(" 200 ");
            assertThat(answer).as(path).doesNotContain("documentRoot").doesNotContain("QA report: release");
        }
        assertThat(rawGet("/api/sites/acme", "client", "client")
                        .lines()
                        .findFirst()
                        .orElse(""))
                .as("the plain path for acme's client")
                .contains(" 200 ");
    }

    private String rawGet(String path, String user, String password) throws Exception {
        java.net.URI root = java.net.URI.create(rest.getRootUri());
        try (java.net.Socket socket = new java.net.Socket(root.getHost(), root.getPort())) {
            String credentials = java.util.Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: " + root.getHost() + "\r\nAuthorization: Basic "
                                    + credentials + "\r\nConnection: close\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void aClientOfOneSiteReadsNothingOfAnother() throws Exception {
        String release = acmeReleaseAtClientSignoff();
        TestRestTemplate stranger = rest.withBasicAuth("otherclient", "otherclient");
        TestRestTemplate client = rest.withBasicAuth("client", "client");
        assertThat(stranger.getForEntity("/api/sites/acme", String.class).getStatusCode())
                .isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(stranger.getForEntity("/api/releases/" + release, String.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(stranger.getForEntity("/reports/" + release + "/round-1/report.html", String.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(stranger.getForEntity("/api/releases/rel-nothere", String.class)
                        .getStatusCode())
                .as("a stranger cannot even tell whether a release exists")
                .isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(stranger.getForEntity("/api/sites/beta", String.class).getStatusCode())
                .isEqualTo(HttpStatus.OK);

        assertThat(client.getForEntity("/api/sites/acme", String.class).getStatusCode())
                .isEqualTo(HttpStatus.OK);
        assertThat(client.getForEntity("/api/releases/" + release, String.class).getStatusCode())
                .isEqualTo(HttpStatus.OK);
        ResponseEntity<String> report =
                client.getForEntity("/reports/" + release + "/round-1/report.html", String.class);
        assertThat(report.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(report.getHeaders().getFirst("Content-Security-Policy"))
                .as("a report's copied pages never run script here")
                .isEqualTo("sandbox");
        assertThat(rest.withBasicAuth("operator", "operator")
                        .getForEntity("/api/releases/" + release, String.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.OK);

        assertThat(visibleTasks("otherclient"))
                .as("another site's client sees no acme task")
                .isEmpty();
        assertThat(visibleTasks("client"))
                .extracting(Task::getTaskDefinitionKey)
                .containsExactly("Task_ClientSignoff");
        Task task = tasks.createTaskQuery().processInstanceBusinessKey(release).singleResult();
        assertThatThrownBy(() -> completeAs("otherclient", task, Map.of("clientDecision", "approve")))
                .isInstanceOf(AuthorizationException.class);
    }

    @Test
    void aSignoffCannotAimTheReleaseAtAnotherSiteOrSkipTheRules() throws Exception {
        String release = acmeReleaseAtClientSignoff();
        Task task = tasks.createTaskQuery().processInstanceBusinessKey(release).singleResult();
        assertThatThrownBy(() -> completeAs("client", task, Map.of("clientDecision", "approve", "siteId", "beta")))
                .hasMessageContaining("may set only clientComment and clientDecision")
                .hasMessageContaining("it tried to change siteId");
        assertThatThrownBy(() -> completeAs("client", task, Map.of("clientDecision", "approve", "liveVerified", true)))
                .hasMessageContaining("it tried to change liveVerified");
        assertThatThrownBy(() -> completeAs("client", task, Map.of("clientDecision", "reject")))
                .hasMessageContaining("needs a comment");
        assertThatThrownBy(() -> completeAs("client", task, Map.of("clientDecision", "maybe")))
                .hasMessageContaining("one of [approve, reject]");
        assertThat(runtime.getVariable(task.getProcessInstanceId(), "siteId")).isEqualTo("acme");
        assertThat(tasks.createTaskQuery().taskId(task.getId()).count())
                .as("every refused completion left the task open")
                .isOne();
        assertThat(releases.get(release).siteId()).isEqualTo("acme");

        completeAs("client", task, Map.of("clientDecision", "reject", "clientComment", "wrong colours"));
        assertThat(tasks.createTaskQuery().taskId(task.getId()).count()).isZero();
    }

    /**
     * The sequences of review 954a1fc (H1) by a candidate of the task, through the engine's REST API
     * and through Tasklist's own API path: a variable the form does not set and the guard's
     * fingerprints rewritten, a task-local decision shadowing the completion's, a candidate added,
     * the task ended with a BPMN error or an escalation carrying variables. Each is refused, nothing
     * changes, and the task is still there to be completed with its form.
     */
    @Test
    void aCandidateCannotSteerTheSignoffThroughTheEngineApi() throws Exception {
        String release = acmeReleaseAtClientSignoff();
        Task task = tasks.createTaskQuery().processInstanceBusinessKey(release).singleResult();
        Map<String, Object> fingerprintsBefore = tasks.getVariablesLocal(task.getId());
        org.springframework.http.HttpHeaders basic = new org.springframework.http.HttpHeaders();
        basic.setBasicAuth("client", "client");
        for (var door : List.of(
                Map.entry("/engine-rest", basic),
                Map.entry("/camunda/api/engine/engine/default", tasklistSession("client", "client")))) {
            String t = door.getKey() + "/task/" + task.getId();
            org.springframework.http.HttpHeaders headers = door.getValue();
            assertThat(rest.exchange(t, HttpMethod.GET, new HttpEntity<>(headers), String.class)
                            .getStatusCode()
                            .value())
                    .as("%s: the client is logged in and sees the task", door.getKey())
                    .isEqualTo(200);
            refused(
                    headers,
                    HttpMethod.PUT,
                    t + "/variables/clientSignoffNeeded",
                    Map.of("value", false, "type", "Boolean"));
            refused(
                    headers,
                    HttpMethod.PUT,
                    t + "/localVariables/stageguardVariableFingerprints",
                    Map.of("value", "{}", "type", "Json"));
            refused(
                    headers,
                    HttpMethod.POST,
                    t + "/variables",
                    Map.of("modifications", Map.of("siteId", Map.of("value", "beta"))));
            refused(
                    headers,
                    HttpMethod.PUT,
                    t + "/localVariables/clientDecision",
                    Map.of("value", "reject", "type", "String"));
            refused(
                    headers,
                    HttpMethod.POST,
                    t + "/identity-links",
                    Map.of("userId", "otherclient", "type", "candidate"));
            refused(
                    headers,
                    HttpMethod.POST,
                    t + "/bpmnError",
                    Map.of(
                            "errorCode",
                            "skip",
                            "variables",
                            Map.of("liveVerified", Map.of("value", true, "type", "Boolean"))));
            refused(headers, HttpMethod.POST, t + "/bpmnEscalation", Map.of("escalationCode", "skip"));
        }
        assertThat(runtime.getVariables(task.getProcessInstanceId()))
                .containsEntry("siteId", "acme")
                .doesNotContainKeys("clientSignoffNeeded", "liveVerified", "clientDecision");
        assertThat(tasks.getVariablesLocal(task.getId()))
                .as("the guard's fingerprints, and nothing else of the task's own")
                .hasToString(fingerprintsBefore.toString());
        assertThat(tasks.getIdentityLinksForTask(task.getId()))
                .noneMatch(link -> "otherclient".equals(link.getUserId()));
        assertThat(tasks.createTaskQuery().taskId(task.getId()).count())
                .as("the release is where it was")
                .isOne();

        assertThat(send(
                        basic,
                        HttpMethod.POST,
                        "/engine-rest/task/" + task.getId() + "/complete",
                        Map.of("variables", Map.of("clientDecision", Map.of("value", "approve", "type", "String")))))
                .as("the form's own way still works")
                .isEqualTo(204);
    }

    /** Refused by the engine's authorization (not by a CSRF or login check on the way). */
    private void refused(
            org.springframework.http.HttpHeaders headers, HttpMethod method, String path, Map<String, Object> body) {
        ResponseEntity<String> answer = exchange(headers, method, path, body);
        assertThat(answer.getStatusCode().value())
                .as("%s %s: %s", method, path, answer.getBody())
                .isEqualTo(403);
        assertThat(answer.getBody()).as("%s %s", method, path).contains("AuthorizationException");
    }

    private int send(
            org.springframework.http.HttpHeaders headers, HttpMethod method, String path, Map<String, Object> body) {
        return exchange(headers, method, path, body).getStatusCode().value();
    }

    private ResponseEntity<String> exchange(
            org.springframework.http.HttpHeaders headers, HttpMethod method, String path, Map<String, Object> body) {
        org.springframework.http.HttpHeaders json = new org.springframework.http.HttpHeaders();
        json.putAll(headers);
        json.setContentType(org.springframework.http.MediaType.APPLICATION_JSON);
        return rest.exchange(path, method, new HttpEntity<>(body, json), String.class);
    }

    /** A Tasklist login as a browser does it: the session cookie, and the CSRF token Tasklist sends back with every change. */
    private org.springframework.http.HttpHeaders tasklistSession(String user, String password) {
        ResponseEntity<String> page = rest.getForEntity("/camunda/app/tasklist/default/", String.class);
        String csrf = cookie(page, "XSRF-TOKEN");
        org.springframework.http.HttpHeaders login = new org.springframework.http.HttpHeaders();
        login.setContentType(org.springframework.http.MediaType.APPLICATION_FORM_URLENCODED);
        login.add("X-XSRF-TOKEN", csrf);
        login.add("Cookie", "XSRF-TOKEN=" + csrf + "; JSESSIONID=" + cookie(page, "JSESSIONID"));
        ResponseEntity<String> in = rest.postForEntity(
                "/camunda/api/admin/auth/user/default/login/tasklist",
                new HttpEntity<>("username=" + user + "&password=" + password, login),
                String.class);
        assertThat(in.getStatusCode().value())
                .as("Tasklist login: %s", in.getBody())
                .isEqualTo(200);
        String session = cookie(in, "JSESSIONID") != null ? cookie(in, "JSESSIONID") : cookie(page, "JSESSIONID");
        // the login starts a new session, whose CSRF token comes with its first answer
        org.springframework.http.HttpHeaders withSession = new org.springframework.http.HttpHeaders();
        withSession.add("Cookie", "JSESSIONID=" + session);
        ResponseEntity<String> me = rest.exchange(
                "/camunda/api/admin/auth/user/default", HttpMethod.GET, new HttpEntity<>(withSession), String.class);
        assertThat(me.getBody()).as("logged in to Tasklist").contains("\"userId\":\"" + user + "\"");
        String token = cookie(me, "XSRF-TOKEN") != null
                ? cookie(me, "XSRF-TOKEN")
                : cookie(in, "XSRF-TOKEN") != null ? cookie(in, "XSRF-TOKEN") : csrf;
        org.springframework.http.HttpHeaders headers = new org.springframework.http.HttpHeaders();
        headers.add("X-XSRF-TOKEN", token);
        headers.add("Cookie", "XSRF-TOKEN=" + token + "; JSESSIONID=" + session);
        return headers;
    }

    private static String cookie(ResponseEntity<?> answer, String name) {
        return answer.getHeaders().getOrEmpty("Set-Cookie").stream()
                .filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1, c.contains(";") ? c.indexOf(';') : c.length()))
                .findFirst()
                .orElse(null);
    }

    private List<Task> visibleTasks(String user) {
        identity.setAuthentication(user, List.of("clients"));
        try {
            return tasks.createTaskQuery().list();
        } finally {
            identity.clearAuthentication();
        }
    }

    private void completeAs(String user, Task task, Map<String, Object> variables) {
        identity.setAuthentication(user, List.of("clients"));
        try {
            tasks.complete(task.getId(), variables);
        } finally {
            identity.clearAuthentication();
        }
    }
}
