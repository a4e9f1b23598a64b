package io.stageguard.api;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** A request Stageguard will not act on; {@code errors} maps each bad field to what is wrong with it. */
public class InvalidRequestException extends RuntimeException {
    private final HttpStatus status;
    private final Map<String, String> errors;

    public InvalidRequestException(HttpStatus status, Map<String, String> errors) {
        super(errors.toString());
        this.status = status;
        this.errors = errors;
    }

    public HttpStatus status() {
        return status;
    }

    public Map<String, String> errors() {
        return errors;
    }
}
