package io.stageguard.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stageguard.StageguardApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Stageguard as an operator runs it: its own JVM on an H2 file, started by a test, talked to over
 * HTTP, and killed with -9 (SIGKILL: no shutdown hook, no flush, no goodbye) at a chosen write
 * point. Started again on the same data, it must carry on by itself.
 */
public final class StageguardProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process process;
    private final Path dataDir;
    private final String baseUrl;

    private StageguardProcess(Process process, Path dataDir, String baseUrl) {
        this.process = process;
        this.dataDir = dataDir;
        this.baseUrl = baseUrl;
    }

    /**
     * @param stopAt   a {@link io.stageguard.support.WritePoints} name to hold still at, or null
     * @param stopIn   only when writing under this folder
     * @param lockTime the job lock, short so a test does not wait long for a dead process's lock to run out
     */
    public static StageguardProcess start(
            Path dataDir, int port, String stopAt, Path stopIn, Duration lockTime, String logName) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // its own temp folder: the test can see the browser profiles it leaves
        Path temp = Files.createDirectories(tempOf(dataDir));
        // Chromium runs as its own user, which must pass through the test's (0700) folders to its profile there
        for (Path dir = temp;
                dir.getParent() != null && !dir.equals(Path.of(System.getProperty("java.io.tmpdir")));
                dir = dir.getParent()) {
            Set<PosixFilePermission> permissions = new HashSet<>(Files.getPosixFilePermissions(dir));
            permissions.add(PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(dir, permissions);
        }
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xmx1g",
                "-Djava.io.tmpdir=" + temp,
                "-cp",
                classPath(),
                StageguardApplication.class.getName(),
                "--server.port=" + port,
                "--spring.profiles.active=crash-test",
                "--spring.datasource.url=jdbc:h2:file:" + dataDir.resolve("db/stageguard") + ";WRITE_DELAY=0",
                "--stageguard.data-dir=" + dataDir,
                "--stageguard.public-url=http://127.0.0.1:" + port,
                "--stageguard.qa.host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                // the test's packages are built beside the data folder
                "--stageguard.updates.package-folders="
                        + dataDir.toAbsolutePath().getParent(),
                // two sessions per QA job, one Chromium at a time on the machine: the cap holds the second back
                "--stageguard.qa.max-browsers=1",
                "--camunda.bpm.job-execution.lock-time-in-millis=" + lockTime.toMillis(),
                // a step held at a write point is what operators must see as long-running
                "--stageguard.jobs.long-running-after=PT3S"));
        if (stopAt != null) {
            command.add("--stageguard.test.stop-at=" + stopAt);
            command.add("--stageguard.test.stop-in=" + stopIn);
        }
        Files.createDirectories(dataDir);
        // kept in target/ after the test, for whoever reads a failure
        Path log = Files.createDirectories(Path.of("target", "crash-test"))
                .resolve(logName)
                .toAbsolutePath();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        StageguardProcess app = new StageguardProcess(process, dataDir, "http://127.0.0.1:" + port);
        Awaitility.await("Stageguard answering on port " + port)
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!process.isAlive())
                        throw new IllegalStateException(
                                "Stageguard exited with " + process.exitValue() + "; see " + log);
                    try {
                        return app.send("operator", "GET", "/api/releases/none", null)
                                        .statusCode()
                                > 0;
                    } catch (IOException e) {
                        return false;
                    }
                });
        return app;
    }

    /** This JVM's class path (main and test classes and every dependency), without empty entries: those would mean the working folder. */
    private static String classPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    public HttpResponse<String> send(String user, String method, String path, Object body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    public JsonNode json(String user, String method, String path, Object body) throws IOException {
        HttpResponse<String> response = send(user, method, path, body);
        if (response.statusCode() >= 300)
            throw new IOException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    /** Waits until the process holds still at the write point it was told to stop at. */
    public void awaitStoppedAt(String point, Duration within) throws IOException {
        Path marker = StopAtWritePoint.stoppedAt(dataDir, point);
        Files.deleteIfExists(marker);
        Awaitility.await("Stageguard reaching " + point)
                .atMost(within)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive())
                        throw new IllegalStateException("Stageguard exited before reaching " + point);
                    return Files.exists(marker);
                });
    }

    /** The mark the programs this Stageguard starts carry ({@link io.stageguard.ChildProcesses}). */
    public String mark() {
        return io.stageguard.ChildProcesses.markOf(process.toHandle());
    }

    /** The temp folder of a Stageguard started on {@code dataDir}. */
    public static Path tempOf(Path dataDir) {
        return dataDir.resolveSibling(dataDir.getFileName() + "-tmp");
    }

    /** kill -9. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
    }
}
