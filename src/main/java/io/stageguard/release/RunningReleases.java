package io.stageguard.release;

/**
 * Whether a release still runs, asked by capabilities that must leave its files alone (a running
 * release's backup is its restore path). The engine answers it ({@code process/engine}); the
 * capabilities never ask the engine themselves.
 */
@FunctionalInterface
public interface RunningReleases {
    boolean isRunning(String releaseId);
}
