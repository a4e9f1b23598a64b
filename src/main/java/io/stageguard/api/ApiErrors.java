package io.stageguard.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Every refused request answers the same shape: {@code {"message": ..., "errors": {field: problem}}}. */
@RestControllerAdvice(basePackageClasses = ApiErrors.class)
class ApiErrors {

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<Map<String, Object>> invalid(InvalidRequestException e) {
        return body(
                e.status(),
                e.status() == HttpStatus.BAD_REQUEST
                        ? "the request has invalid fields"
                        : "the request cannot be carried out now",
                e.errors());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        if (e.getMostSpecificCause() instanceof UnrecognizedPropertyException unknown) {
            // a field Stageguard does not know is refused, not ignored: "phpBinary" once chose the program Stageguard
            // runs
            return body(
                    HttpStatus.BAD_REQUEST,
                    "the request has invalid fields",
                    Map.of(
                            path(unknown),
                            "is not a field Stageguard accepts; known here: " + unknown.getKnownPropertyIds()));
        }
        String detail = e.getMostSpecificCause() instanceof NullPointerException
                ? "must not be null"
                : e.getMostSpecificCause().getMessage() == null
                        ? "unreadable"
                        : e.getMostSpecificCause().getMessage().split("\n")[0];
        String field = e.getCause() instanceof JsonMappingException mapping ? path(mapping) : "body";
        return body(HttpStatus.BAD_REQUEST, "the body is not the JSON expected", Map.of(field, detail));
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) path.append('.');
                path.append(ref.getFieldName());
            } else {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    private static ResponseEntity<Map<String, Object>> body(
            HttpStatus status, String message, Map<String, String> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("errors", errors);
        return ResponseEntity.status(status).body(body);
    }
}
