package io.stageguard.wordpress;

import io.stageguard.ChildProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The machine's users as the name service knows them ({@code getent passwd}: local files, LDAP,
 * whatever the machine uses). Every PHP run asks who it runs as: users found are remembered, so
 * the lookup runs once per user, not once per run; a user not found is asked again (an operator
 * may create it meanwhile).
 */
final class SystemUsers {
    private static final Map<String, SiteCodeSandbox.Identity> KNOWN = new ConcurrentHashMap<>();

    private SystemUsers() {}

    static Optional<SiteCodeSandbox.Identity> byName(String name) throws IOException {
        return lookUp(name);
    }

    static Optional<SiteCodeSandbox.Identity> byUid(int uid) throws IOException {
        return lookUp(Integer.toString(uid));
    }

    private static Optional<SiteCodeSandbox.Identity> lookUp(String key) throws IOException {
        SiteCodeSandbox.Identity known = KNOWN.get(key);
        if (known != null) return Optional.of(known);
        // getent loads no site code; it dies with Stageguard like every program Stageguard starts
        Process getent = new ProcessBuilder(ChildProcesses.dyingWithStageguard(List.of("getent", "passwd", key)))
                .redirectErrorStream(true)
                .start();
        try {
            // one line at most: it fits the pipe, so waiting first cannot block on output, and the timeout holds
            if (!getent.waitFor(10, TimeUnit.SECONDS)) {
                getent.destroyForcibly();
                throw new IOException("getent passwd " + key + " did not answer within 10 s");
            }
            String out = new String(getent.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            // 2: no such user
            if (getent.exitValue() == 2 || out.isEmpty()) return Optional.empty();
            if (getent.exitValue() != 0)
                throw new IOException("getent passwd " + key + " exited " + getent.exitValue() + ": " + out);
            String[] fields = out.lines().findFirst().orElseThrow().split(":", -1);
            SiteCodeSandbox.Identity found =
                    new SiteCodeSandbox.Identity(fields[0], Integer.parseInt(fields[2]), Integer.parseInt(fields[3]));
            KNOWN.put(key, found);
            return Optional.of(found);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while looking up user " + key, e);
        }
    }
}
