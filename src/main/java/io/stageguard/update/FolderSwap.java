package io.stageguard.update;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Puts a completely unpacked folder in the place of the one a site serves, with no moment where
 * that folder is missing or half-written: Linux's {@code renameat2(RENAME_EXCHANGE)} swaps the two
 * names in one step, so a request sees either the old tree or the new one. Where the kernel or the
 * file system cannot exchange, the old folder is renamed away and the new one renamed in (two
 * steps, a gap of microseconds), and the caller is told so.
 */
public final class FolderSwap {
    private static final int AT_FDCWD = -100;
    private static final int RENAME_EXCHANGE = 2;

    private interface LibC extends Library {
        int renameat2(int oldDirFd, String oldPath, int newDirFd, String newPath, int flags) throws LastErrorException;
    }

    private static final LibC LIBC = load();

    private FolderSwap() {}

    /** How a folder came into place: exchanged in one step, or moved in two with a gap between. */
    public enum Method {
        EXCHANGED,
        MOVED_IN_TWO_STEPS,
        ADDED
    }

    /**
     * Puts {@code next} at {@code target}. Afterwards {@code next} holds what {@code target} held
     * (nothing, when the target did not exist).
     */
    public static Method swap(Path next, Path target) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(next, target, StandardCopyOption.ATOMIC_MOVE);
            return Method.ADDED;
        }
        if (LIBC != null) {
            try {
                LIBC.renameat2(AT_FDCWD, next.toString(), AT_FDCWD, target.toString(), RENAME_EXCHANGE);
                return Method.EXCHANGED;
            } catch (LastErrorException e) {
                // EINVAL / ENOSYS: this file system or kernel cannot exchange; fall through to two renames
            }
        }
        Path aside = next.resolveSibling(next.getFileName() + ".previous");
        Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        Files.move(next, target, StandardCopyOption.ATOMIC_MOVE);
        Files.move(aside, next, StandardCopyOption.ATOMIC_MOVE);
        return Method.MOVED_IN_TWO_STEPS;
    }

    private static LibC load() {
        try {
            return Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError | RuntimeException notLinux) {
            return null;
        }
    }
}
