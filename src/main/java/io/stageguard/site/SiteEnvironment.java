package io.stageguard.site;

import java.nio.file.Path;

/**
 * One running WordPress: live or its staging twin.
 *
 * @param phpBinary the PHP that runs this site's code, used to read its PHP version, extensions and
 *                  limits; {@code php} when not given
 */
public record SiteEnvironment(String baseUrl, Path documentRoot, DatabaseConnection database, String phpBinary) {

    public SiteEnvironment(String baseUrl, Path documentRoot, DatabaseConnection database) {
        this(baseUrl, documentRoot, database, null);
    }

    public SiteEnvironment {
        if (phpBinary == null || phpBinary.isBlank()) phpBinary = "php";
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
