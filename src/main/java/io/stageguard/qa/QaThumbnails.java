package io.stageguard.qa;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Small pictures of the pages a QA round found most changed, for the sign-off forms: staging before
 * the changes, staging with them and the difference side by side, each cut around where the change begins (a full 1366x5000 page
 * shrunk to a form's width would show nothing) and scaled to {@link #WIDTH} pixels.
 */
public final class QaThumbnails {
    public static final int WIDTH = 280;
    /** How many pages a form shows; the report has the rest. */
    static final int MOST = 3;
    /** Rows kept above the first change, so the reader sees what it sits under. */
    private static final int CONTEXT_ROWS = 80;

    private QaThumbnails() {}

    /**
     * One changed page at one width. {@code before}, {@code after} and {@code diff} are the
     * thumbnails' URLs; {@code difference} the share of the page that changed, in words.
     */
    public record Thumbnail(
            String page, String viewport, String difference, String before, String after, String diff) {}

    /** Writes the thumbnails of the {@link #MOST} most changed shots into the round's folder; none when nothing changed. */
    public static List<Thumbnail> write(QaReport report, Path roundDir, String roundUrl) throws IOException {
        record Ranked(QaReport.PageResult page, QaReport.Shot shot) {}
        List<Ranked> changed = report.pages().stream()
                .flatMap(p -> p.shots().stream().map(s -> new Ranked(p, s)))
                .filter(r -> r.shot().difference() > 0 && r.shot().diffImage() != null)
                .sorted(Comparator.comparingDouble((Ranked r) -> r.shot().difference())
                        .reversed())
                .limit(MOST)
                .toList();
        List<Thumbnail> thumbnails = new ArrayList<>();
        for (Ranked r : changed) {
            BufferedImage diff =
                    ImageIO.read(roundDir.resolve(r.shot().diffImage()).toFile());
            int height = Math.min(diff.getHeight(), diff.getWidth() * 3 / 4);
            int top = Math.max(0, Math.min(firstChangedRow(diff) - CONTEXT_ROWS, diff.getHeight() - height));
            thumbnails.add(new Thumbnail(
                    r.page().path(),
                    r.shot().viewport(),
                    String.format(Locale.ROOT, "%.1f%%", r.shot().difference() * 100),
                    roundUrl + shrink(roundDir, r.shot().liveImage(), top, height),
                    roundUrl + shrink(roundDir, r.shot().stagingImage(), top, height),
                    roundUrl + shrink(roundDir, r.shot().diffImage(), top, height)));
        }
        return thumbnails;
    }

    static int firstChangedRow(BufferedImage diff) {
        int[] row = new int[diff.getWidth()];
        for (int y = 0; y < diff.getHeight(); y++) {
            diff.getRGB(0, y, row.length, 1, row, 0, row.length);
            for (int rgb : row) if (ScreenshotComparer.marksChange(rgb)) return y;
        }
        return 0;
    }

    /** Cuts rows {@code top}..{@code top+height} (as far as the image reaches) and scales them to {@link #WIDTH}; returns the file's name. */
    private static String shrink(Path dir, String image, int top, int height) throws IOException {
        BufferedImage full = ImageIO.read(dir.resolve(image).toFile());
        int rows = Math.max(1, Math.min(height, full.getHeight() - Math.min(top, full.getHeight() - 1)));
        BufferedImage cut = full.getSubimage(0, Math.min(top, full.getHeight() - 1), full.getWidth(), rows);
        int scaledHeight = Math.max(1, rows * WIDTH / full.getWidth());
        BufferedImage small = new BufferedImage(WIDTH, scaledHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = small.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(cut, 0, 0, WIDTH, scaledHeight, null);
        g.dispose();
        String name = image.replaceFirst("\\.png$", "") + "-thumb.png";
        ImageIO.write(small, "png", dir.resolve(name).toFile());
        return name;
    }
}
