package io.stageguard.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;

/** SHA-256 of files and text: the identity of a package, a backup and a frozen manifest. */
public final class Sha256 {
    private Sha256() {}

    public static String of(Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String of(String text) {
        return HexFormat.of().formatHex(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A fresh SHA-256 digest, for content hashed piece by piece. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** One hash over every path and file content below a folder, or of one file (links by their target); "absent" when there is nothing. */
    public static String ofTree(Path folder) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) return "absent";
        StringBuilder listing = new StringBuilder();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted().toList()) {
                String rel = folder.relativize(p).toString();
                if (Files.isSymbolicLink(p))
                    listing.append(rel)
                            .append(" -> ")
                            .append(Files.readSymbolicLink(p))
                            .append('\n');
                else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    listing.append(rel).append(' ').append(of(p)).append('\n');
            }
        }
        return of(listing.toString());
    }
}
