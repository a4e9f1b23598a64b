package io.stageguard.qa;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PHP error log, read from a mark so that a QA round (or the watch after a push) sees only what
 * was logged since: staging's {@code wp-content/debug.log}, which Stageguard's staging config turns
 * on, or the log live's serving PHP names.
 */
public final class PhpErrorLog {
    private static final Pattern ENTRY =
            Pattern.compile("^\\[[^\\]]*\\]\\s+PHP\\s+([A-Za-z ]+?):\\s+(.*?)(?: in (/\\S+?)(?: on line |:)(\\d+))?$");
    /** Lines longer than this are cut: one runaway message must not fill the report. */
    private static final int MAX_LINE = 2000;

    private static final long MAX_READ = 8L << 20;
    private final Path file;

    /** One distinct problem: its level (Warning, Fatal error, ...), message, file and how often it was logged. */
    public record Entry(String level, String message, String file, int line, int count) {
        public boolean fatal() {
            return level.toLowerCase().contains("fatal") || level.toLowerCase().contains("parse");
        }

        public boolean warning() {
            return level.equalsIgnoreCase("Warning");
        }
    }

    public PhpErrorLog(Path stagingDocumentRoot) {
        this(stagingDocumentRoot, stagingDocumentRoot.resolve("wp-content").resolve("debug.log"));
    }

    private PhpErrorLog(Path ignored, Path file) {
        this.file = file;
    }

    /** Another log file in the same format: the one live's serving PHP writes to. */
    public static PhpErrorLog at(Path file) {
        return new PhpErrorLog(file.getParent(), file);
    }

    /** Where the log ends now; read from here later to see only newer lines. */
    public long mark() throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }

    public List<Entry> since(long mark) throws IOException {
        if (!Files.exists(file)) return List.of();
        long size = Files.size(file);
        long from = size < mark ? 0 : mark; // the log was rotated or staging re-cloned
        long start = Math.max(from, size - MAX_READ);
        byte[] bytes;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(start);
            bytes = new byte[(int) (size - start)];
            raf.readFully(bytes);
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (line.length() > MAX_LINE) line = line.substring(0, MAX_LINE);
            Matcher m = ENTRY.matcher(line.strip());
            if (!m.matches()) continue;
            String key = m.group(1) + "|" + m.group(2) + "|" + m.group(3) + "|" + m.group(4);
            Entry seen = entries.get(key);
            entries.put(
                    key,
                    new Entry(
                            m.group(1).strip(),
                            m.group(2).strip(),
                            m.group(3),
                            m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
                            seen == null ? 1 : seen.count() + 1));
        }
        return new ArrayList<>(entries.values());
    }
}
