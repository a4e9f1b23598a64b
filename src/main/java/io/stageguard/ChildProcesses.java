package io.stageguard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The programs Stageguard starts (chromedriver, Chromium, the PHP CLI) die with it. Each is started
 * under {@code setpriv --pdeathsig KILL}, so the kernel kills it when Stageguard's process dies,
 * also by kill -9; and each carries {@value #OWNER} in its environment (inherited by everything it
 * starts in turn: Chromium's renderers), naming this JVM by process id and start time. What a killed
 * Stageguard still left running is found by that mark and killed by {@link #killOrphans()} at the
 * next start.
 *
 * <p>The parent-death signal is sent when the <em>thread</em> that started the program ends: a program
 * must be started and stopped by the same long-lived thread, as every caller here does (a job's
 * thread, a browser session's worker).
 */
public final class ChildProcesses {
    /** The environment variable that names the Stageguard a program belongs to. */
    public static final String OWNER = "STAGEGUARD_OWNER";

    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final String SELF = mark(ProcessHandle.current());

    private ChildProcesses() {}

    /** This JVM's mark: process id and start time (a process id alone is reused). */
    public static String self() {
        return SELF;
    }

    /** The command, started so that it is killed when Stageguard dies (where the system has setpriv). */
    public static List<String> dyingWithStageguard(List<String> command) {
        if (!Files.isExecutable(SETPRIV)) return command;
        List<String> wrapped = new ArrayList<>(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Marks a program's environment as this Stageguard's. */
    public static void mark(Map<String, String> environment) {
        environment.put(OWNER, SELF);
    }

    /**
     * An executable script in {@code folder} that runs {@code program} with its arguments, dying with
     * Stageguard: for programs another program starts (chromedriver starts Chromium by a path).
     *
     * @param runAs a command that runs what follows it as another user (empty: as Stageguard); it comes
     *              first, because a change of user clears the parent-death signal
     */
    public static synchronized Path wrapperFor(Path program, Path folder, List<String> runAs) throws IOException {
        Files.createDirectories(folder);
        Path script = folder.resolve(program.getFileName().toString());
        List<String> command = new ArrayList<>(runAs);
        command.addAll(dyingWithStageguard(List.of(program.toString())));
        String content = "#!/bin/sh\nexec "
                + String.join(
                        " ", command.stream().map(ChildProcesses::shellQuoted).toList()) + " \"$@\"\n";
        // written once and never rewritten in place: another session may be starting it this very moment
        if (Files.isExecutable(script)
                && Files.readString(script, StandardCharsets.UTF_8).equals(content)) return script;
        Path written = Files.createTempFile(folder, ".wrapper-", ".sh");
        Files.writeString(written, content, StandardCharsets.UTF_8);
        written.toFile().setExecutable(true, true);
        Files.move(
                written,
                script,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return script;
    }

    /** Whether the Stageguard a mark names is this one or still running. */
    public static boolean ownerAlive(String mark) {
        if (mark.equals(SELF)) return true;
        int at = mark.indexOf('@');
        if (at < 0) return false;
        try {
            Optional<ProcessHandle> owner = ProcessHandle.of(Long.parseLong(mark.substring(0, at)));
            return owner.isPresent() && mark(owner.get()).equals(mark);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Kills every process marked as a Stageguard's that is no longer running; returns what was killed, as "pid command". */
    public static List<String> killOrphans() {
        List<String> killed = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(process -> {
            String owner = ownerOf(process.pid());
            if (owner == null || ownerAlive(owner)) return;
            if (process.destroyForcibly())
                killed.add(process.pid() + " " + process.info().command().orElse("?"));
        });
        return killed;
    }

    /** The processes still running that carry {@code mark}, as "pid command". */
    public static List<String> runningOf(String mark) {
        return ProcessHandle.allProcesses()
                .filter(p -> mark.equals(ownerOf(p.pid())))
                .map(p -> p.pid() + " " + p.info().command().orElse("?"))
                .toList();
    }

    /** The mark in a process's environment, or {@code null} (none, or not ours to read). */
    static String ownerOf(long pid) {
        byte[] environ;
        try {
            environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
        } catch (IOException | SecurityException e) {
            return null;
        }
        String prefix = OWNER + "=";
        for (String entry : new String(environ, StandardCharsets.UTF_8).split("\0")) {
            if (entry.startsWith(prefix)) return entry.substring(prefix.length());
        }
        return null;
    }

    /** The mark of a running process, as the programs it starts carry it. */
    public static String markOf(ProcessHandle process) {
        return mark(process);
    }

    private static String mark(ProcessHandle process) {
        return process.pid() + "@"
                + process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    private static String shellQuoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
