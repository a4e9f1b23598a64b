package io.stageguard.support;

import java.nio.file.Path;
import java.util.function.BiConsumer;

/**
 * Named moments inside Stageguard's writing steps (half-way through a clone, right after an install
 * on live swapped its folder in, right after a restore swapped one back). A crash can happen at any of them; the crash
 * tests stop the application there with kill -9 and prove that the step, run again, ends right.
 * In production nothing listens and passing one costs a volatile read.
 */
public final class WritePoints {
    public static final String CLONE_FILES_BEFORE_SWAP = "clone.files.before-swap";
    public static final String CLONE_DATABASE_HALF_COPIED = "clone.database.half-copied";
    public static final String INSTALL_AFTER_SWAP = "install.after-swap";
    public static final String RESTORE_FILES_SWAPPED = "restore.files-swapped";
    /** A QA browser session is running (chromedriver and Chromium started, staging admitted); where: its profile folder. */
    public static final String QA_BROWSER_RUNNING = "qa.browser-running";

    private static volatile BiConsumer<String, Path> listener = (point, where) -> {};

    private WritePoints() {}

    /** @param where the folder being written (staging's or live's root, or a plugin folder in one) */
    public static void reached(String point, Path where) {
        listener.accept(point, where);
    }

    /** For the crash tests, which stop the process at a chosen point in a chosen place. */
    public static void listen(BiConsumer<String, Path> onPoint) {
        listener = onPoint;
    }
}
