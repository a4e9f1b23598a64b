package io.stageguard.site;

import java.nio.file.Path;

/** One running WordPress: live or its staging twin. */
public record SiteEnvironment(String baseUrl, Path documentRoot, DatabaseConnection database) {

    public SiteEnvironment {
        if (baseUrl != null) baseUrl = baseUrl.replaceAll("/+$", "");
        if (documentRoot != null) documentRoot = documentRoot.toAbsolutePath().normalize();
    }

    public String url(String path) {
        return baseUrl + (path.startsWith("/") ? path : "/" + path);
    }

    public Path wpContent() {
        return documentRoot.resolve("wp-content");
    }
}
