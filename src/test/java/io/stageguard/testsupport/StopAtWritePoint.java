package io.stageguard.testsupport;

import io.stageguard.StageguardProperties;
import io.stageguard.support.WritePoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * For the crash tests (profile {@code crash-test}, in a Stageguard process the test started): when
 * the write point named by {@code stageguard.test.stop-at} is reached in a folder under
 * {@code stageguard.test.stop-in} (live's root, say, so an install on staging passes by), say so in
 * a file of the data folder and hold still, so the test can kill the process with -9 exactly there.
 */
@Component
@Profile("crash-test")
class StopAtWritePoint {
    StopAtWritePoint(
            @Value("${stageguard.test.stop-at:}") String stopAt,
            @Value("${stageguard.test.stop-in:/}") Path stopIn,
            StageguardProperties app) {
        WritePoints.listen((point, where) -> {
            if (!point.equals(stopAt) || !where.toAbsolutePath().startsWith(stopIn.toAbsolutePath())) return;
            try {
                Files.writeString(stoppedAt(app.dataDir(), point), point);
                new CountDownLatch(1).await(); // held until the test kills the process
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    static Path stoppedAt(Path dataDir, String point) {
        return dataDir.resolve("stopped-at-" + point);
    }
}
