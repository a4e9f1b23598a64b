package io.stageguard.site;

import java.nio.file.Path;

/**
 * One running WordPress: live or its staging twin.
 *
 * @param phpRuntime the name of the configured PHP runtime ({@link PhpProperties}) that runs this
 *                   site's code; {@code default} when not given. A name, never a program path.
 */
public record SiteEnvironment(String baseUrl, Path documentRoot, DatabaseConnection database, String phpRuntime) {

    public SiteEnvironment(String baseUrl, Path documentRoot, DatabaseConnection database) {
        this(baseUrl, documentRoot, database, null);
    }

    public SiteEnvironment {
        if (phpRuntime == null || phpRuntime.isBlank()) phpRuntime = PhpProperties.DEFAULT_RUNTIME;
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
