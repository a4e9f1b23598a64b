package io.stageguard.qa;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forms' thumbnails: the most changed shots only, each cut where its change begins. */
class QaThumbnailsTest {
    @TempDir
    Path dir;

    @Test
    void theMostChangedShotsAreCutWhereTheirChangeBeginsAndScaledToTheFormsWidth() throws Exception {
        // live and staging of a tall page that differ in a band 3000 px down; the comparer draws the diff
        BufferedImage live = page(Color.WHITE, 0);
        BufferedImage staging = page(Color.WHITE, 3000);
        ScreenshotComparer.Comparison cmp = ScreenshotComparer.compare(live, staging);
        ImageIO.write(live, "png", dir.resolve("p-desktop-live.png").toFile());
        ImageIO.write(staging, "png", dir.resolve("p-desktop-staging.png").toFile());
        ImageIO.write(cmp.diffImage(), "png", dir.resolve("p-desktop-diff.png").toFile());
        assertThat(QaThumbnails.firstChangedRow(cmp.diffImage())).isEqualTo(3000);

        QaReport.Shot changed = new QaReport.Shot(
                "desktop", cmp.differingShare(), "p-desktop-live.png", "p-desktop-staging.png", "p-desktop-diff.png");
        QaReport.Shot same = new QaReport.Shot("phone", 0, "q-live.png", "q-staging.png", "q-diff.png");
        QaReport report = new QaReport(
                "rel-1",
                1,
                QaVerdict.WARN,
                List.of(),
                List.of(),
                List.of(),
                List.of(new QaReport.PageResult(
                        "/shop/", 200, 200, false, List.of(changed, same), List.of(), List.of(), List.of(), null)),
                List.of(),
                List.of(),
                List.of(),
                null,
                "/reports/rel-1/round-1/index.html",
                null,
                List.of());

        List<QaThumbnails.Thumbnail> thumbnails = QaThumbnails.write(report, dir, "/reports/rel-1/round-1/");
        assertThat(thumbnails).as("an unchanged shot gets none").hasSize(1);
        QaThumbnails.Thumbnail t = thumbnails.get(0);
        assertThat(t.page()).isEqualTo("/shop/");
        assertThat(t.difference())
                .isEqualTo(String.format(java.util.Locale.ROOT, "%.1f%%", cmp.differingShare() * 100));
        assertThat(t.after()).isEqualTo("/reports/rel-1/round-1/p-desktop-staging-thumb.png");
        BufferedImage small =
                ImageIO.read(dir.resolve("p-desktop-staging-thumb.png").toFile());
        assertThat(small.getWidth()).isEqualTo(QaThumbnails.WIDTH);
        // the cut starts a little above the change: the red band shows in the thumbnail, not the white page above it
        assertThat(new Color(small.getRGB(QaThumbnails.WIDTH / 2, small.getHeight() / 2)))
                .isEqualTo(Color.RED);
        assertThat(Files.exists(dir.resolve("p-desktop-diff-thumb.png"))).isTrue();
    }

    /** A 1366x5000 page of one colour with, from {@code bandAt} (0: none), a 1000 px red band. */
    private static BufferedImage page(Color background, int bandAt) {
        BufferedImage image = new BufferedImage(1366, 5000, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(background);
        g.fillRect(0, 0, 1366, 5000);
        if (bandAt > 0) {
            g.setColor(Color.RED);
            g.fillRect(0, bandAt, 1366, 1000);
        }
        g.dispose();
        return image;
    }
}
