package io.stageguard.qa;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.Arrays;

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

    private ScreenshotComparer() {}

    /**
     * @param differingShare  share of the compared area (0..1) that visibly changed
     * @param differingPixels how many pixels that is
     * @param picture         what {@link #diffImage()} draws; null when the two are pixel for pixel the same
     */
    public record Comparison(double differingShare, long differingPixels, Picture picture) {
        /** Two images pixel for pixel the same. */
        public static final Comparison IDENTICAL = new Comparison(0, 0, null);

        /** The changes in red on a washed-out copy of the second image; null when the two are pixel for pixel the same. */
        public BufferedImage diffImage() {
            return picture == null ? null : picture.draw();
        }
    }

    /** Whether a pixel of a {@link Comparison#diffImage()} marks a visible change. */
    public static boolean marksChange(int rgb) {
        return (rgb & 0xFFFFFF) == CHANGED;
    }

    /**
     * Compares pixel by pixel where both images have pixels; equal stretches of a row are skipped by
     * a vectorized scan of the images' own rasters (nothing is copied out), and the perceptual work
     * is spent only where pixels differ. The difference picture is drawn only when asked for.
     */
    public static Comparison compare(BufferedImage live, BufferedImage staging) {
        Pixels a = Pixels.of(live);
        Pixels b = Pixels.of(staging);
        int width = Math.max(a.width, b.width);
        int height = Math.max(a.height, b.height);
        // only the area both images have is compared; what only one has counts as changed
        int commonWidth = Math.min(a.width, b.width);
        int commonHeight = Math.min(a.height, b.height);
        double maxDelta = MAX_YIQ_DELTA * THRESHOLD * THRESHOLD;
        long differing = (long) width * height - (long) commonWidth * commonHeight;
        Marks changed = new Marks();
        Marks antiAliased = new Marks();
        boolean anyDifference = differing > 0;
        for (int y = 0; y < commonHeight; y++) {
            for (int x = a.mismatch(b, y, 0, commonWidth); x >= 0; x = a.mismatch(b, y, x + 1, commonWidth)) {
                anyDifference = true;
                if (Math.abs(colorDelta(a.rgb(x, y), b.rgb(x, y))) <= maxDelta) continue;
                if (antiAliased(a, x, y, width, height, b) || antiAliased(b, x, y, width, height, a)) {
                    antiAliased.add(y * width + x);
                } else {
                    differing++;
                    changed.add(y * width + x);
                }
            }
        }
        // the common case of an unchanged page: nothing to show
        if (!anyDifference) return Comparison.IDENTICAL;
        return new Comparison(
                (double) differing / ((long) width * height),
                differing,
                new Picture(b, width, height, commonWidth, commonHeight, changed, antiAliased));
    }

    /** The difference picture of a comparison, drawn when asked for. */
    public static final class Picture {
        private final Pixels after;
        private final int width;
        private final int height;
        private final int commonWidth;
        private final int commonHeight;
        private final Marks changed;
        private final Marks antiAliased;

        private Picture(
                Pixels after,
                int width,
                int height,
                int commonWidth,
                int commonHeight,
                Marks changed,
                Marks antiAliased) {
            this.after = after;
            this.width = width;
            this.height = height;
            this.commonWidth = commonWidth;
            this.commonHeight = commonHeight;
            this.changed = changed;
            this.antiAliased = antiAliased;
        }

        BufferedImage draw() {
            int[] out = new int[width * height];
            for (int y = 0; y < height; y++) {
                int row = y * width;
                if (y >= commonHeight) {
                    Arrays.fill(out, row, row + width, CHANGED);
                    continue;
                }
                for (int x = 0; x < commonWidth; x++) out[row + x] = faded(after.rgb(x, y));
                Arrays.fill(out, row + commonWidth, row + width, CHANGED);
            }
            antiAliased.paint(out, ANTI_ALIASED);
            changed.paint(out, CHANGED);
            // the picture is drawn straight on the pixels computed, not copied into an image pixel by pixel
            DirectColorModel rgb = new DirectColorModel(24, 0xFF0000, 0x00FF00, 0x0000FF);
            WritableRaster raster = Raster.createPackedRaster(
                    new DataBufferInt(out, out.length),
                    width,
                    height,
                    width,
                    new int[] {0xFF0000, 0x00FF00, 0x0000FF},
                    null);
            return new BufferedImage(rgb, raster, false, null);
        }
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
     * An image's pixels as RGB ints (no alpha), read in place from its raster for the layouts
     * screenshots decode into (Chromium's PNGs are RGB or RGBA) and Java draws into; 0 outside the
     * image. {@link BufferedImage#getRGB} converts every pixel through the colour model, and copying
     * a tall page out first costs more in memory traffic than the comparison after it.
     */
    private abstract static class Pixels {
        final int width;
        final int height;

        Pixels(int width, int height) {
            this.width = width;
            this.height = height;
        }

        abstract int inside(int x, int y);

        final int rgb(int x, int y) {
            return x < width && y < height ? inside(x, y) : 0;
        }

        /** The first x in [from, to) of row y where the two differ, or -1; both hold that row and those columns. */
        int mismatch(Pixels other, int y, int from, int to) {
            for (int x = from; x < to; x++) if (((inside(x, y) ^ other.inside(x, y)) & 0xFFFFFF) != 0) return x;
            return -1;
        }

        static Pixels of(BufferedImage img) {
            Raster raster = img.getRaster();
            boolean plain = raster.getParent() == null
                    && raster.getSampleModelTranslateX() == 0
                    && raster.getSampleModelTranslateY() == 0
                    && raster.getDataBuffer().getOffset() == 0
                    && raster.getDataBuffer().getNumBanks() == 1;
            int type = img.getType();
            if (plain && (type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB)) {
                return new Ints(img.getWidth(), img.getHeight(), ((DataBufferInt) raster.getDataBuffer()).getData());
            }
            if (plain && (type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_4BYTE_ABGR)) {
                return new Bytes(
                        img.getWidth(),
                        img.getHeight(),
                        ((DataBufferByte) raster.getDataBuffer()).getData(),
                        type == BufferedImage.TYPE_3BYTE_BGR ? 3 : 4);
            }
            // any other layout: converted once
            int[] rgb = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
            return new Ints(img.getWidth(), img.getHeight(), rgb);
        }
    }

    /** Packed ints, alpha (where there is one) in the top byte. */
    private static final class Ints extends Pixels {
        private final int[] data;

        Ints(int width, int height, int[] data) {
            super(width, height);
            this.data = data;
        }

        @Override
        int inside(int x, int y) {
            return data[y * width + x] & 0xFFFFFF;
        }

        @Override
        int mismatch(Pixels other, int y, int from, int to) {
            if (!(other instanceof Ints o)) return super.mismatch(other, y, from, to);
            while (from < to) {
                int skip = Arrays.mismatch(
                        data, y * width + from, y * width + to, o.data, y * o.width + from, y * o.width + to);
                if (skip < 0) return -1;
                int x = from + skip;
                // a difference in the alpha byte alone is none
                if (((data[y * width + x] ^ o.data[y * o.width + x]) & 0xFFFFFF) != 0) return x;
                from = x + 1;
            }
            return -1;
        }
    }

    /** Interleaved bytes, B G R or A B G R per pixel. */
    private static final class Bytes extends Pixels {
        private final byte[] data;
        private final int step;

        Bytes(int width, int height, byte[] data, int step) {
            super(width, height);
            this.data = data;
            this.step = step;
        }

        @Override
        int inside(int x, int y) {
            int i = (y * width + x) * step + step - 3;
            return (data[i + 2] & 0xFF) << 16 | (data[i + 1] & 0xFF) << 8 | data[i] & 0xFF;
        }

        @Override
        int mismatch(Pixels other, int y, int from, int to) {
            if (!(other instanceof Bytes o) || o.step != step) return super.mismatch(other, y, from, to);
            while (from < to) {
                int skip = Arrays.mismatch(
                        data,
                        (y * width + from) * step,
                        (y * width + to) * step,
                        o.data,
                        (y * o.width + from) * step,
                        (y * o.width + to) * step);
                if (skip < 0) return -1;
                int x = from + skip / step;
                if (inside(x, y) != o.inside(x, y)) return x;
                from = x + 1;
            }
            return -1;
        }
    }

    /**
     * Whether the pixel at x,y of {@code img} looks like an anti-aliased edge: among its eight
     * neighbours there is both a darker and a brighter one, and at least one of those extremes sits in
     * a flat region in both images (so the edge itself did not move).
     */
    private static boolean antiAliased(Pixels img, int x1, int y1, int width, int height, Pixels other) {
        Neighbourhood n = Neighbourhood.of(x1, y1, width, height);
        int center = img.rgb(x1, y1);
        double centerY = brightness(center);
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
                int neighbour = img.rgb(x, y);
                double delta = ((center ^ neighbour) & 0xFFFFFF) == 0 ? 0 : centerY - brightness(neighbour);
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
    private static boolean hasManySiblings(Pixels img, int x1, int y1, int width, int height) {
        Neighbourhood n = Neighbourhood.of(x1, y1, width, height);
        int center = img.rgb(x1, y1);
        int zeroes = n.onEdge();
        for (int x = n.x0(); x <= n.x2(); x++) {
            for (int y = n.y0(); y <= n.y2(); y++) {
                if (x == x1 && y == y1) continue;
                if (img.rgb(x, y) == center) {
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

    /** The brightness (YIQ's Y) of a colour. */
    private static double brightness(int c) {
        return rgb2y((c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF);
    }

    /** Squared YIQ distance; negative when the second colour is lighter. */
    private static double colorDelta(int c1, int c2) {
        if ((c1 & 0xFFFFFF) == (c2 & 0xFFFFFF)) return 0;
        int r1 = (c1 >> 16) & 0xFF;
        int g1 = (c1 >> 8) & 0xFF;
        int b1 = c1 & 0xFF;
        int r2 = (c2 >> 16) & 0xFF;
        int g2 = (c2 >> 8) & 0xFF;
        int b2 = c2 & 0xFF;
        double y = rgb2y(r1, g1, b1) - rgb2y(r2, g2, b2);
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

    /**
     * Unchanged pixels are washed out so the changed ones stand out: each channel c becomes
     * 255 - (255 - c) / 4, computed for the three channels at once (no channel borrows from another).
     */
    private static int faded(int rgb) {
        return 0xFFFFFF - ((~rgb >> 2) & 0x3F3F3F);
    }
}
