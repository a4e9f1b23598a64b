package io.stageguard.qa;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * Compares two screenshots the way a person would: colour difference is measured in YIQ space
 * (weighted for how the eye sees brightness), and pixels that differ only because a glyph or edge
 * was anti-aliased a little differently are not counted. The approach follows Mapbox's pixelmatch.
 * Area present in only one image counts as different, so a page that grew or shrank shows.
 */
public final class ScreenshotComparer {
    /** Largest YIQ distance between two colours (black and white), squared. */
    private static final double MAX_YIQ_DELTA = 35215;
    /** Share of that distance below which two colours look the same. */
    private static final double THRESHOLD = 0.1;
    private static final int CHANGED = 0xFF0044;
    private static final int ANTI_ALIASED = 0xFFD24D;

    private ScreenshotComparer() {
    }

    /**
     * @param differingShare share of the compared area (0..1) that visibly changed
     * @param diffImage      the changes in red on a washed-out copy; null when the two are pixel for pixel the same
     */
    public record Comparison(double differingShare, long differingPixels, BufferedImage diffImage) {
        /** Two images pixel for pixel the same. */
        public static final Comparison IDENTICAL = new Comparison(0, 0, null);
    }

    /** Whether a pixel of a {@link Comparison#diffImage()} marks a visible change. */
    public static boolean marksChange(int rgb) {
        return (rgb & 0xFFFFFF) == CHANGED;
    }

    public static Comparison compare(BufferedImage live, BufferedImage staging) {
        int width = Math.max(live.getWidth(), staging.getWidth());
        int height = Math.max(live.getHeight(), staging.getHeight());
        // both images are read side by side
        CompletableFuture<int[]> first = CompletableFuture.supplyAsync(() -> pixels(live, width, height));
        int[] b = pixels(staging, width, height);
        int[] a = first.join();
        // the common case of an unchanged page: an exact pass says so, no perceptual pass or picture needed
        if (live.getWidth() == staging.getWidth() && live.getHeight() == staging.getHeight() && Arrays.equals(a, b)) {
            return Comparison.IDENTICAL;
        }
        // only the area both images have is compared; what only one has counts as changed
        int commonWidth = Math.min(live.getWidth(), staging.getWidth());
        int commonHeight = Math.min(live.getHeight(), staging.getHeight());
        double maxDelta = MAX_YIQ_DELTA * THRESHOLD * THRESHOLD;
        long differing = (long) width * height - (long) commonWidth * commonHeight;
        // bands of rows are compared side by side; each keeps its own marks, painted once all are done
        int bands = Math.max(1, Math.min(4 * Runtime.getRuntime().availableProcessors(), commonHeight / 64));
        Marks[] changed = new Marks[bands];
        Marks[] antiAliased = new Marks[bands];
        IntStream.range(0, bands).parallel().forEach(band -> {
            changed[band] = new Marks();
            antiAliased[band] = new Marks();
            for (int y = commonHeight * band / bands; y < commonHeight * (band + 1) / bands; y++) {
                int row = y * width;
                int end = row + commonWidth;
                // the perceptual work is done where pixels differ; equal stretches are skipped by a vectorized scan
                for (int i = row; i < end; i++) {
                    int skip = Arrays.mismatch(a, i, end, b, i, end);
                    if (skip < 0) break;
                    i += skip;
                    if (Math.abs(colorDelta(a[i], b[i], false)) <= maxDelta) continue;
                    int x = i - row;
                    if (antiAliased(a, x, y, width, height, b) || antiAliased(b, x, y, width, height, a)) {
                        antiAliased[band].add(i);
                    } else {
                        changed[band].add(i);
                    }
                }
            }
        });
        for (Marks band : changed) differing += band.size;
        int[] out = new int[width * height];
        IntStream.range(0, bands).parallel().forEach(band -> {
            for (int i = out.length / bands * band, end = band == bands - 1 ? out.length : out.length / bands * (band + 1); i < end; i++) out[i] = faded(b[i]);
        });
        for (int y = 0; y < height; y++) {
            if (y >= commonHeight) Arrays.fill(out, y * width, (y + 1) * width, CHANGED);
            else if (commonWidth < width) Arrays.fill(out, y * width + commonWidth, (y + 1) * width, CHANGED);
        }
        for (Marks band : antiAliased) band.paint(out, ANTI_ALIASED);
        for (Marks band : changed) band.paint(out, CHANGED);
        // the picture is drawn straight on the pixels computed, not copied into an image pixel by pixel
        DirectColorModel rgb = new DirectColorModel(24, 0xFF0000, 0x00FF00, 0x0000FF);
        WritableRaster raster = Raster.createPackedRaster(new DataBufferInt(out, out.length), width, height, width,
                new int[] {0xFF0000, 0x00FF00, 0x0000FF}, null);
        BufferedImage diff = new BufferedImage(rgb, raster, false, null);
        return new Comparison((double) differing / ((long) width * height), differing, diff);
    }

    /** Pixel indexes, in a growing int array (a shifted page marks hundreds of thousands). */
    private static final class Marks {
        private int[] indexes = new int[1024];
        private int size;

        void add(int index) {
            if (size == indexes.length) indexes = Arrays.copyOf(indexes, size * 2);
            indexes[size++] = index;
        }

        void paint(int[] pixels, int colour) {
            for (int k = 0; k < size; k++) pixels[indexes[k]] = colour;
        }
    }

    /**
     * The image's pixels as opaque RGB ints in a {@code width} x {@code height} grid. Read straight
     * from the raster for the layouts screenshots decode into (Chromium's PNGs are RGB or RGBA);
     * {@link BufferedImage#getRGB} converts every pixel through the colour model and costs more
     * than the whole comparison after it.
     */
    private static int[] pixels(BufferedImage img, int width, int height) {
        int[] p = new int[width * height];
        int w = img.getWidth();
        int h = img.getHeight();
        Raster raster = img.getRaster();
        boolean plain = raster.getParent() == null && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
                && raster.getDataBuffer().getOffset() == 0 && raster.getDataBuffer().getNumBanks() == 1;
        if (plain && (img.getType() == BufferedImage.TYPE_INT_RGB || img.getType() == BufferedImage.TYPE_INT_ARGB)) {
            int[] data = ((DataBufferInt) raster.getDataBuffer()).getData();
            for (int y = 0; y < h; y++) {
                for (int x = 0, from = y * w, to = y * width; x < w; x++) p[to + x] = data[from + x] | 0xFF000000;
            }
        } else if (plain && (img.getType() == BufferedImage.TYPE_3BYTE_BGR || img.getType() == BufferedImage.TYPE_4BYTE_ABGR)) {
            byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
            int bytes = img.getType() == BufferedImage.TYPE_3BYTE_BGR ? 3 : 4;
            int skip = bytes - 3; // ABGR: the alpha byte comes first
            for (int y = 0; y < h; y++) {
                for (int x = 0, from = y * w * bytes + skip, to = y * width; x < w; x++, from += bytes) {
                    p[to + x] = 0xFF000000 | (data[from + 2] & 0xFF) << 16 | (data[from + 1] & 0xFF) << 8 | data[from] & 0xFF;
                }
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) p[y * width + x] = row[x] | 0xFF000000;
            }
        }
        return p;
    }

    /**
     * Whether the pixel at x,y of {@code img} looks like an anti-aliased edge: among its eight
     * neighbours there is both a darker and a brighter one, and at least one of those extremes sits in
     * a flat region in both images (so the edge itself did not move).
     */
    private static boolean antiAliased(int[] img, int x1, int y1, int width, int height, int[] other) {
        Neighbourhood n = Neighbourhood.of(x1, y1, width, height);
        int center = img[y1 * width + x1];
        int zeroes = n.onEdge();
        double min = 0;
        double max = 0;
        int minX = 0;
        int minY = 0;
        int maxX = 0;
        int maxY = 0;
        for (int x = n.x0(); x <= n.x2(); x++) {
            for (int y = n.y0(); y <= n.y2(); y++) {
                if (x == x1 && y == y1) continue;
                double delta = colorDelta(center, img[y * width + x], true);
                if (delta == 0) {
                    zeroes++;
                    if (zeroes > 2) return false;
                } else if (delta < min) {
                    min = delta;
                    minX = x;
                    minY = y;
                } else if (delta > max) {
                    max = delta;
                    maxX = x;
                    maxY = y;
                }
            }
        }
        if (min == 0 || max == 0) return false;
        return hasManySiblings(img, minX, minY, width, height) && hasManySiblings(other, minX, minY, width, height)
                || hasManySiblings(img, maxX, maxY, width, height) && hasManySiblings(other, maxX, maxY, width, height);
    }

    /** Whether at least three neighbours have exactly this pixel's colour. */
    private static boolean hasManySiblings(int[] img, int x1, int y1, int width, int height) {
        Neighbourhood n = Neighbourhood.of(x1, y1, width, height);
        int center = img[y1 * width + x1];
        int zeroes = n.onEdge();
        for (int x = n.x0(); x <= n.x2(); x++) {
            for (int y = n.y0(); y <= n.y2(); y++) {
                if (x == x1 && y == y1) continue;
                if (img[y * width + x] == center) {
                    zeroes++;
                    if (zeroes > 2) return true;
                }
            }
        }
        return false;
    }

    /**
     * The pixels around x1,y1 that exist. A pixel on the image's border has fewer neighbours, which
     * counts as one that matches ({@code onEdge} = 1), as in pixelmatch.
     */
    private record Neighbourhood(int x0, int y0, int x2, int y2, int onEdge) {
        static Neighbourhood of(int x1, int y1, int width, int height) {
            int x0 = Math.max(x1 - 1, 0);
            int y0 = Math.max(y1 - 1, 0);
            int x2 = Math.min(x1 + 1, width - 1);
            int y2 = Math.min(y1 + 1, height - 1);
            return new Neighbourhood(x0, y0, x2, y2, x1 == x0 || x1 == x2 || y1 == y0 || y1 == y2 ? 1 : 0);
        }
    }

    /** Squared YIQ distance; negative when the second colour is lighter. With {@code yOnly}, the brightness difference alone. */
    private static double colorDelta(int c1, int c2, boolean yOnly) {
        if ((c1 & 0xFFFFFF) == (c2 & 0xFFFFFF)) return 0;
        int r1 = (c1 >> 16) & 0xFF;
        int g1 = (c1 >> 8) & 0xFF;
        int b1 = c1 & 0xFF;
        int r2 = (c2 >> 16) & 0xFF;
        int g2 = (c2 >> 8) & 0xFF;
        int b2 = c2 & 0xFF;
        double y = rgb2y(r1, g1, b1) - rgb2y(r2, g2, b2);
        if (yOnly) return y;
        double i = rgb2i(r1, g1, b1) - rgb2i(r2, g2, b2);
        double q = rgb2q(r1, g1, b1) - rgb2q(r2, g2, b2);
        double delta = 0.5053 * y * y + 0.299 * i * i + 0.1957 * q * q;
        return y > 0 ? -delta : delta;
    }

    private static double rgb2y(int r, int g, int b) {
        return r * 0.29889531 + g * 0.58662247 + b * 0.11448223;
    }

    private static double rgb2i(int r, int g, int b) {
        return r * 0.59597799 - g * 0.27417610 - b * 0.32180189;
    }

    private static double rgb2q(int r, int g, int b) {
        return r * 0.21147017 - g * 0.52261711 + b * 0.31114694;
    }

    /** Unchanged pixels are washed out so the changed ones stand out. */
    private static int faded(int rgb) {
        int r = 255 - (255 - ((rgb >> 16) & 0xFF)) / 4;
        int g = 255 - (255 - ((rgb >> 8) & 0xFF)) / 4;
        int bl = 255 - (255 - (rgb & 0xFF)) / 4;
        return (r << 16) | (g << 8) | bl;
    }
}
