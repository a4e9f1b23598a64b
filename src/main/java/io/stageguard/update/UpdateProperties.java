package io.stageguard.update;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where updates come from.
 *
 * @param wordpressOrgApi       the wordpress.org API's base URL; tests point it at a local server that answers in the same shapes
 * @param wordpressOrgDownloads where its packages and checksums are; packages are fetched only from here or the API's host
 * @param vendorFolder          a folder of premium plugin and theme zips (any names; slug and version read from the zips); none when unset
 * @param versionsChecked       how many versions newer than the installed one are fetched, newest first, to find the newest compatible one
 * @param gitRepositories       the repositories custom code may come from: URL or path prefixes ("https://git.acme.example/",
 *                              "/srv/git/"); none by default, so a request cannot make Stageguard fetch from anywhere it names
 * @param packageFolders        the folders a change set's zip ({@code "package"}) may be read from, besides the vendor folder and
 *                              Stageguard's own downloads; none by default, so a request cannot make Stageguard read a file it names
 */
@ConfigurationProperties("stageguard.updates")
public record UpdateProperties(
        String wordpressOrgApi,
        String wordpressOrgDownloads,
        Path vendorFolder,
        Integer versionsChecked,
        List<String> gitRepositories,
        List<Path> packageFolders) {
    public UpdateProperties {
        if (wordpressOrgApi == null || wordpressOrgApi.isBlank()) wordpressOrgApi = "https://api.wordpress.org";
        if (wordpressOrgDownloads == null || wordpressOrgDownloads.isBlank())
            wordpressOrgDownloads = "https://downloads.wordpress.org";
        wordpressOrgApi = wordpressOrgApi.replaceAll("/+$", "");
        wordpressOrgDownloads = wordpressOrgDownloads.replaceAll("/+$", "");
        if (versionsChecked == null) versionsChecked = 5;
        if (versionsChecked < 1)
            throw new IllegalArgumentException("stageguard.updates.versions-checked must be at least 1");
        gitRepositories = gitRepositories == null ? List.of() : List.copyOf(gitRepositories);
        packageFolders = packageFolders == null ? List.of() : List.copyOf(packageFolders);
    }
}
