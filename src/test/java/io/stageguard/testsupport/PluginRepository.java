package io.stageguard.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.URIish;

/**
 * An agency's custom-code repository as tests need it: a bare repository ({@link #origin()}) and a
 * developer's checkout that commits versions of a plugin under {@code plugins/<slug>/} and pushes
 * them, with JGit.
 */
public final class PluginRepository implements AutoCloseable {
    private final Path origin;
    private final Path checkout;
    private final Git developer;

    private PluginRepository(Path origin, Path checkout, Git developer) {
        this.origin = origin;
        this.checkout = checkout;
        this.developer = developer;
    }

    /** An empty bare repository at {@code origin} with a checkout beside it, on branch main. */
    public static PluginRepository create(Path origin) throws Exception {
        Git.init()
                .setBare(true)
                .setDirectory(origin.toFile())
                .setInitialBranch("main")
                .call()
                .close();
        Path checkout = origin.resolveSibling(origin.getFileName() + "-checkout");
        Git developer = Git.init()
                .setDirectory(checkout.toFile())
                .setInitialBranch("main")
                .call();
        developer
                .remoteAdd()
                .setName("origin")
                .setUri(new URIish(origin.toUri().toString()))
                .call();
        return new PluginRepository(origin, checkout, developer);
    }

    public Path origin() {
        return origin;
    }

    /** Commits version {@code version} of plugin {@code slug} (a main file and a stylesheet) and pushes it; {@code tag} may be null. */
    public RevCommit push(String slug, String version, String tag) throws Exception {
        Path plugin = checkout.resolve("plugins").resolve(slug);
        Files.createDirectories(plugin.resolve("assets"));
        Files.writeString(
                plugin.resolve(slug + ".php"),
                "<?php\n/*\n * Plugin Name: " + slug + "\n * Version: " + version + "\n */\n"
                        + "add_action( 'wp_footer', function () { echo '<!-- " + slug + " " + version
                        + " -->'; } );\n");
        Files.writeString(plugin.resolve("assets/custom.css"), "body { --" + slug + ": '" + version + "'; }\n");
        Files.writeString(checkout.resolve("README.md"), "Custom code, " + slug + " " + version + "\n");
        developer.add().addFilepattern(".").call();
        RevCommit commit = developer
                .commit()
                .setMessage(slug + " " + version)
                .setAuthor("Dana", "dana@acme.example")
                .call();
        if (tag != null) developer.tag().setName(tag).call();
        developer.push().setRemote("origin").setPushAll().setPushTags().call();
        return commit;
    }

    @Override
    public void close() {
        developer.close();
    }
}
