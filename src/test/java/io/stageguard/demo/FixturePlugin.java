package io.stageguard.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The {@code hello-stageguard} plugin used by the demo and the tests, built as WordPress plugin
 * zips: 1.0.0 (installed on live), 1.1.0 (a visible change), 1.2.0 (a PHP fatal on the front
 * page), 1.3.0 (fine on staging, fatal in production) and 1.4.0 (migrates its guestbook table on
 * the first load of the new code, and takes greetings from visitors).
 */
public final class FixturePlugin {
    public static final String SLUG = "hello-stageguard";
    public static final String MAIN_FILE = SLUG + "/" + SLUG + ".php";

    private FixturePlugin() {}

    public static Path zip(String version, Path folder) throws IOException {
        Files.createDirectories(folder);
        Path zip = folder.resolve(SLUG + "-" + version + ".zip");
        try (InputStream source = FixturePlugin.class.getResourceAsStream("/demo/" + SLUG + "/" + version + ".php");
                OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(file)) {
            if (source == null) throw new IOException("no fixture version " + version);
            out.putNextEntry(new ZipEntry(SLUG + "/"));
            out.closeEntry();
            out.putNextEntry(new ZipEntry(MAIN_FILE));
            source.transferTo(out);
            out.closeEntry();
        }
        return zip;
    }
}
