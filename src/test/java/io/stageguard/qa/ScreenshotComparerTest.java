package io.stageguard.qa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** The comparison on drawn images: what a person would call a change counts, rendering noise does not. */
class ScreenshotComparerTest {

    private static BufferedImage page(double textX, boolean banner, int height) {
        BufferedImage img = new BufferedImage(600, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 600, height);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setColor(new Color(0x222222));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 28));
        for (int line = 0; line < 8; line++) g.drawString("Checkout and pay", (float) textX, 60 + line * 40);
        if (banner) {
            g.setColor(new Color(0xB00020));
            g.fillRect(0, 200, 600, 80);
        }
        g.dispose();
        return img;
    }

    @Test
    void identicalScreenshotsDoNotDiffer() {
        ScreenshotComparer.Comparison c = ScreenshotComparer.compare(page(40, false, 400), page(40, false, 400));
        assertThat(c.differingPixels()).isZero();
        assertThat(c.diffImage()).as("nothing to show: the exact pass said so").isNull();
    }

    @Test
    void aBannerIsAChange() {
        ScreenshotComparer.Comparison c = ScreenshotComparer.compare(page(40, false, 400), page(40, true, 400));
        assertThat(c.differingShare()).isGreaterThan(0.15);
        assertThat(c.diffImage().getRGB(300, 240) & 0xFFFFFF).isEqualTo(0xFF0044);
    }

    @Test
    void aPageThatGrewCountsItsNewArea() {
        ScreenshotComparer.Comparison c = ScreenshotComparer.compare(page(40, false, 400), page(40, false, 500));
        assertThat(c.differingShare()).isCloseTo(100.0 / 500, offset(0.001));
    }

    @Test
    void textAntiAliasedALittleDifferentlyIsNotAChangeWhileExactComparisonWouldSayItIs() {
        BufferedImage a = page(40, false, 400);
        BufferedImage b = page(40.25, false, 400);
        long exact = 0;
        for (int y = 0; y < 400; y++) for (int x = 0; x < 600; x++) if (a.getRGB(x, y) != b.getRGB(x, y)) exact++;
        assertThat(exact).as("the two renderings do differ pixel by pixel").isGreaterThan(100);
        assertThat(ScreenshotComparer.compare(a, b).differingShare()).isLessThan(0.001);
    }

    /**
     * The comparer reads rasters in place: what Chromium's PNGs decode into (RGB and RGBA bytes),
     * what Java draws into (ints), any other layout, and a mix of two, all compare alike, pixel for
     * pixel, with the same picture.
     */
    @Test
    void everyPixelLayoutComparesAlike() throws Exception {
        BufferedImage before = page(40, false, 400);
        BufferedImage after = page(40.25, true, 420);
        ScreenshotComparer.Comparison ints = ScreenshotComparer.compare(before, after);
        int[] layouts = {
            BufferedImage.TYPE_3BYTE_BGR,
            BufferedImage.TYPE_4BYTE_ABGR,
            BufferedImage.TYPE_INT_ARGB,
            BufferedImage.TYPE_INT_BGR
        };
        for (int layout : layouts) {
            ScreenshotComparer.Comparison same = ScreenshotComparer.compare(as(before, layout), as(after, layout));
            assertThat(same.differingPixels()).as("layout %d", layout).isEqualTo(ints.differingPixels());
            ScreenshotComparer.Comparison mixed = ScreenshotComparer.compare(before, as(after, layout));
            assertThat(mixed.differingPixels())
                    .as("ints against layout %d", layout)
                    .isEqualTo(ints.differingPixels());
            assertThat(mixed.diffImage().getRGB(0, 0, 600, 420, null, 0, 600))
                    .isEqualTo(ints.diffImage().getRGB(0, 0, 600, 420, null, 0, 600));
        }
        BufferedImage decoded = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png(before)));
        assertThat(decoded.getType())
                .as("a PNG without alpha decodes into BGR bytes")
                .isEqualTo(BufferedImage.TYPE_3BYTE_BGR);
        assertThat(ScreenshotComparer.compare(before, decoded)).isEqualTo(ScreenshotComparer.Comparison.IDENTICAL);
    }

    private static BufferedImage as(BufferedImage img, int layout) {
        BufferedImage copy = new BufferedImage(img.getWidth(), img.getHeight(), layout);
        Graphics2D g = copy.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return copy;
    }

    private static byte[] png(BufferedImage img) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
