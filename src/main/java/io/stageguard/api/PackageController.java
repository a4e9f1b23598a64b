package io.stageguard.api;

import io.stageguard.update.PackageUploads;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Takes a plugin, theme or core zip as the request body ({@code Content-Type: application/zip}) and
 * answers the reference a change names it by: {@code "package": "sha256:<hex>"}. For operators and
 * integrations, like starting a release.
 */
@RestController
@RequestMapping("/api")
class PackageController {
    private final PackageUploads uploads;

    PackageController(PackageUploads uploads) {
        this.uploads = uploads;
    }

    @PostMapping(path = "/packages", consumes = "application/zip")
    ResponseEntity<PackageUploads.Upload> upload(HttpServletRequest request) throws IOException {
        try {
            return ResponseEntity.status(HttpStatus.CREATED).body(uploads.store(request.getInputStream()));
        } catch (PackageUploads.RefusedUpload e) {
            throw new InvalidRequestException(HttpStatus.BAD_REQUEST, Map.of("body", e.getMessage()));
        }
    }
}
