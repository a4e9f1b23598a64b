package io.stageguard.site.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypts site database passwords at rest (AES-256-GCM). The key comes from the environment
 * ({@code STAGEGUARD_SECRET_KEY}, 32 bytes in Base64); without one, Stageguard makes a key file
 * in its data folder (0600) and says so at start, which still keeps the passwords out of every copy
 * of its database that leaves the machine without that file.
 */
public final class SecretBox {
    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    private static final String PREFIX = "enc:v1:";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    private SecretBox(byte[] key) {
        if (key.length != 32)
            throw new IllegalArgumentException("the secret key must be 32 bytes (Base64 of 32 random bytes)");
        this.key = new SecretKeySpec(key, "AES");
    }

    /** @param base64Key the configured key, or blank to use (and make, the first time) {@code keyFile} */
    public static SecretBox from(String base64Key, Path keyFile) {
        if (base64Key != null && !base64Key.isBlank())
            return new SecretBox(Base64.getDecoder().decode(base64Key.strip()));
        try {
            if (!Files.exists(keyFile)) {
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                Files.createDirectories(keyFile.getParent());
                Files.writeString(keyFile, Base64.getEncoder().encodeToString(fresh), StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            }
            log.warn(
                    "Site database passwords are encrypted with the key in {}; set STAGEGUARD_SECRET_KEY to keep the key off this disk",
                    keyFile);
            return new SecretBox(Base64.getDecoder()
                    .decode(Files.readString(keyFile, StandardCharsets.UTF_8).strip()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or make the secret key file " + keyFile, e);
        }
    }

    public String seal(String plain) {
        if (plain == null || plain.startsWith(PREFIX)) return plain;
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return PREFIX
                    + Base64.getEncoder()
                            .encodeToString(ByteBuffer.allocate(iv.length + sealed.length)
                                    .put(iv)
                                    .put(sealed)
                                    .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt", e);
        }
    }

    public String open(String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) return stored;
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
            return new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "a stored site password does not open with this secret key (was STAGEGUARD_SECRET_KEY changed?)",
                    e);
        }
    }
}
