package io.stageguard.site;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The machine's users as the name service knows them ({@code getent passwd}: local files, LDAP, whatever the machine uses). */
final class SystemUsers {
    private SystemUsers() {
    }

    static Optional<SiteCodeSandbox.Identity> byName(String name) throws IOException {
        return lookUp(name);
    }

    static Optional<SiteCodeSandbox.Identity> byUid(int uid) throws IOException {
        return lookUp(Integer.toString(uid));
    }

    private static Optional<SiteCodeSandbox.Identity> lookUp(String key) throws IOException {
        Process getent = new ProcessBuilder("getent", "passwd", key).redirectErrorStream(true).start();
        try {
            String out = new String(getent.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!getent.waitFor(10, TimeUnit.SECONDS)) {
                getent.destroyForcibly();
                throw new IOException("getent passwd " + key + " did not answer within 10 s");
            }
            // 2: no such user
            if (getent.exitValue() == 2 || out.isEmpty()) return Optional.empty();
            if (getent.exitValue() != 0) throw new IOException("getent passwd " + key + " exited " + getent.exitValue() + ": " + out);
            String[] fields = out.lines().findFirst().orElseThrow().split(":", -1);
            return Optional.of(new SiteCodeSandbox.Identity(fields[0], Integer.parseInt(fields[2]), Integer.parseInt(fields[3])));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while looking up user " + key, e);
        }
    }
}
