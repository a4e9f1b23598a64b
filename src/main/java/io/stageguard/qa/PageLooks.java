package io.stageguard.qa;

import io.stageguard.site.PageFetcher;
import io.stageguard.site.SiteHealthCheck;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;

/**
 * How Stageguard looks at a page, the same way wherever it compares two states of a site (staging
 * before and after the changes, live against staging before them, live before and after the
 * push): its server time, then in Chromium at every QA width its
 * screenshot, console errors, failed sub-requests and timing. Two looks of the same page compare
 * into a {@link QaReport.PageResult}.
 */
final class PageLooks {
    private PageLooks() {
    }

    /**
     * One page as loaded. {@code screenshots}: per viewport, the screenshot's file name in the folder
     * the look was taken into. Console errors and failed requests are as {@code normalize} left them.
     */
    record Look(String path, int status, long serverMillis, boolean phpFatal, List<String> consoleErrors, List<String> failedRequests,
                Browser.Timing timing, Map<String, String> screenshots) {
    }

    /**
     * Looks at {@code url} (the page {@code path} of some site), writing a screenshot per viewport
     * into {@code dir} as {@code <stem>-<viewport>.png}. The server time is the fastest of one plain
     * request (which also gives the status, redirects not followed across origins) and the browser's
     * loads at each viewport: noise on a shared machine only ever adds time, a slow page is slow
     * every time.
     *
     * @param headers   sent with the plain request (staging's guard wants its credential)
     * @param normalize applied to console errors and failed requests, so that two sites' messages compare
     */
    static Look look(Browser browser, PageFetcher fetcher, Map<String, String> headers, String url, String path, List<QaProperties.Viewport> viewports,
                     List<String> masks, Path dir, String stem, UnaryOperator<String> normalize) throws IOException {
        long t0 = System.nanoTime();
        int status = fetcher.get(url, headers).status();
        long serverMillis = (System.nanoTime() - t0) / 1_000_000;
        LinkedHashSet<String> errors = new LinkedHashSet<>();
        LinkedHashSet<String> failed = new LinkedHashSet<>();
        Map<String, String> shots = new LinkedHashMap<>();
        boolean fatal = false;
        Browser.Timing timing = null;
        for (QaProperties.Viewport viewport : viewports) {
            Browser.Capture capture = browser.capture(url, viewport, masks);
            String file = stem + "-" + viewport.name() + ".png";
            Files.write(dir.resolve(file), capture.png());
            shots.put(viewport.name(), file);
            capture.consoleErrors().forEach(e -> errors.add(normalize.apply(e)));
            capture.failedRequests().forEach(r -> failed.add(normalize.apply(r)));
            fatal |= SiteHealthCheck.showsPhpFatal(capture.html());
            if (timing == null) timing = capture.timing();
            if (capture.timing().ttfbMillis() > 0) serverMillis = Math.min(serverMillis, capture.timing().ttfbMillis());
        }
        return new Look(path, status, serverMillis, fatal, List.copyOf(errors), List.copyOf(failed), timing, shots);
    }

    /**
     * The page's result: {@code after} judged against {@code before}, a difference image per
     * viewport written into {@code afterDir}. The result names its images relative to
     * {@code afterDir}, where its report is.
     *
     * @param allowance per viewport name, a share of the page that may differ without counting (what was approved)
     */
    static QaReport.PageResult compare(Look before, Path beforeDir, Look after, Path afterDir, ToDoubleFunction<String> allowance) throws IOException {
        List<QaReport.Shot> shots = new ArrayList<>();
        for (Map.Entry<String, String> shot : after.screenshots().entrySet()) {
            String viewport = shot.getKey();
            String then = before.screenshots().get(viewport);
            if (then == null) continue;
            ScreenshotComparer.Comparison cmp = ScreenshotComparer.compare(read(beforeDir.resolve(then)), read(afterDir.resolve(shot.getValue())));
            String diff = cmp.diffImage() == null ? null : shot.getValue().replaceFirst("\\.png$", "") + "-diff.png";
            if (diff != null) ImageIO.write(cmp.diffImage(), "png", afterDir.resolve(diff).toFile());
            double counted = Math.max(0, cmp.differingShare() - allowance.applyAsDouble(viewport));
            shots.add(new QaReport.Shot(viewport, counted, afterDir.relativize(beforeDir.resolve(then)).toString(), shot.getValue(), diff));
        }
        List<String> newErrors = new ArrayList<>(after.consoleErrors());
        newErrors.removeAll(before.consoleErrors());
        List<String> newFailed = new ArrayList<>(after.failedRequests());
        newFailed.removeAll(before.failedRequests());
        return new QaReport.PageResult(after.path(), before.status(), after.status(), after.phpFatal() && !before.phpFatal(), shots,
                before.consoleErrors(), newErrors, newFailed, new QaReport.Speed(before.serverMillis(), after.serverMillis(), before.timing(), after.timing()));
    }

    private static BufferedImage read(Path png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(png)));
    }
}
