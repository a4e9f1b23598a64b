package io.stageguard.push;

/** A package on disk is not the one that was signed off; live must not receive it. */
public class ManifestMismatchException extends Exception {
    public ManifestMismatchException(String message) {
        super(message);
    }
}
