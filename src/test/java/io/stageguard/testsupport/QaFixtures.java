package io.stageguard.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** The fixture plugins of src/test/resources/qa-fixtures, built into WordPress plugin zips. */
public final class QaFixtures {
    private QaFixtures() {}

    /** Zips qa-fixtures/{slug}/{version}/ under a top folder named {slug}, as WordPress expects. */
    public static Path zip(String slug, String version, Path folder) throws IOException {
        Path source = Path.of("src/test/resources/qa-fixtures", slug, version);
        Path zip = folder.resolve(slug + "-" + version + ".zip");
        Files.createDirectories(folder);
        try (OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(file);
                Stream<Path> files = Files.walk(source)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(slug + "/" + source.relativize(p)));
                Files.copy(p, out);
                out.closeEntry();
            }
        }
        return zip;
    }
}
