package io.stageguard.qa;

import java.awt.image.BufferedImage;

/**
 * Compares two screenshots pixel by pixel. A small per-channel tolerance absorbs anti-aliasing
 * noise; area present in only one image counts as different, so a page that grew or shrank shows.
 */
public final class ScreenshotComparer {
    private static final int CHANNEL_TOLERANCE = 24;
    private static final int HIGHLIGHT = 0xFFFF0044;

    private ScreenshotComparer() {
    }

    public record Comparison(double differingShare, BufferedImage diffImage) {
    }

    public static Comparison compare(BufferedImage live, BufferedImage staging) {
        int width = Math.max(live.getWidth(), staging.getWidth());
        int height = Math.max(live.getHeight(), staging.getHeight());
        BufferedImage diff = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        long differing = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean inLive = x < live.getWidth() && y < live.getHeight();
                boolean inStaging = x < staging.getWidth() && y < staging.getHeight();
                int a = inLive ? live.getRGB(x, y) : 0;
                int b = inStaging ? staging.getRGB(x, y) : 0;
                if (inLive && inStaging && close(a, b)) {
                    diff.setRGB(x, y, faded(b));
                } else {
                    differing++;
                    diff.setRGB(x, y, HIGHLIGHT);
                }
            }
        }
        return new Comparison((double) differing / ((long) width * height), diff);
    }

    private static boolean close(int a, int b) {
        return Math.abs(((a >> 16) & 0xFF) - ((b >> 16) & 0xFF)) <= CHANNEL_TOLERANCE
                && Math.abs(((a >> 8) & 0xFF) - ((b >> 8) & 0xFF)) <= CHANNEL_TOLERANCE
                && Math.abs((a & 0xFF) - (b & 0xFF)) <= CHANNEL_TOLERANCE;
    }

    /** Unchanged pixels are washed out so the changed ones stand out. */
    private static int faded(int rgb) {
        int r = 255 - (255 - ((rgb >> 16) & 0xFF)) / 4;
        int g = 255 - (255 - ((rgb >> 8) & 0xFF)) / 4;
        int bl = 255 - (255 - (rgb & 0xFF)) / 4;
        return (r << 16) | (g << 8) | bl;
    }
}
