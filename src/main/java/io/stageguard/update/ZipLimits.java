package io.stageguard.update;

import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * How big a plugin or theme package may be once unpacked. WordPress's largest plugins hold some
 * ten thousand files and a few hundred megabytes; a zip bomb declares (or unpacks to) far more.
 * Declared sizes are checked when a change set is accepted, actual bytes while it is unpacked.
 */
final class ZipLimits {
    static final int MAX_ENTRIES = 50_000;
    static final long MAX_TOTAL_BYTES = 1L << 30;
    /** Text compresses about 10:1; anything beyond this many bytes out per byte in is a bomb. */
    static final long MAX_RATIO = 200;
    /** Small entries may compress extremely well (a file of spaces) without being a threat. */
    private static final long RATIO_FLOOR_BYTES = 1 << 20;

    private ZipLimits() {}

    /** What is wrong with the zip's declared contents, or null. */
    static String problem(ZipFile file) {
        if (file.size() > MAX_ENTRIES) return "holds " + file.size() + " entries, more than " + MAX_ENTRIES;
        long total = 0;
        Enumeration<? extends ZipEntry> entries = file.entries();
        while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            long size = entry.getSize();
            if (size < 0) continue;
            total += size;
            String ratio = ratioProblem(entry.getName(), size, entry.getCompressedSize());
            if (ratio != null) return ratio;
        }
        return total > MAX_TOTAL_BYTES ? "unpacks to " + total + " bytes, more than " + MAX_TOTAL_BYTES : null;
    }

    static String ratioProblem(String name, long size, long compressed) {
        if (size > RATIO_FLOOR_BYTES && compressed > 0 && size / compressed > MAX_RATIO) {
            return "entry " + name + " expands " + size / compressed + " times, more than " + MAX_RATIO
                    + ": a zip bomb";
        }
        return null;
    }
}
