package io.stageguard.qa;

import io.stageguard.wordpress.PageFetcher;
import io.stageguard.wordpress.SiteHealthCheck;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
    private PageLooks() {}

    /**
     * One page as loaded. {@code screenshots}: per viewport, the screenshot's file name in the folder
     * the look was taken into. Console errors and failed requests are as {@code normalize} left them.
     */
    record Look(
            String path,
            int status,
            long serverMillis,
            boolean phpFatal,
            List<String> consoleErrors,
            List<String> failedRequests,
            Browser.Timing timing,
            Map<String, String> screenshots,
            List<Long> serverSamples) {
        Look {
            // a look stored before the samples were kept has its fastest time only
            if (serverSamples == null || serverSamples.isEmpty()) serverSamples = List.of(serverMillis);
        }
    }

    /**
     * Looks at {@code url} (the page {@code path} of some site), writing a screenshot per viewport
     * into {@code dir} as {@code <stem>-<viewport>.png}, all from one load of the page. The status
     * and the server time (time to first byte) come from the browser's load; where the browser does
     * not tell them, one plain request does. A page that looks slower is asked again before it
     * counts ({@link BrowserQa}).
     *
     * @param headers   sent with that plain request (staging's guard wants its credential)
     * @param normalize applied to console errors and failed requests, so that two sites' messages compare
     */
    static Look look(
            Browser browser,
            PageFetcher fetcher,
            Map<String, String> headers,
            String url,
            String path,
            List<QaProperties.Viewport> viewports,
            List<String> masks,
            Path dir,
            String stem,
            UnaryOperator<String> normalize)
            throws IOException {
        Browser.Capture capture = browser.capture(url, viewports, masks);
        Map<String, String> shots = new LinkedHashMap<>();
        for (QaProperties.Viewport viewport : viewports) {
            String file = stem + "-" + viewport.name() + ".png";
            Files.write(dir.resolve(file), capture.png(viewport));
            shots.put(viewport.name(), file);
        }
        List<String> errors =
                capture.consoleErrors().stream().map(normalize).distinct().toList();
        List<String> failed =
                capture.failedRequests().stream().map(normalize).distinct().toList();
        boolean fatal = SiteHealthCheck.showsPhpFatal(capture.html());
        Browser.Timing timing = capture.timing();
        int status = capture.status();
        long serverMillis = timing.ttfbMillis() > 0 ? timing.ttfbMillis() : Long.MAX_VALUE;
        List<Long> samples = new ArrayList<>();
        if (timing.ttfbMillis() > 0) samples.add(timing.ttfbMillis());
        if (status == 0 || serverMillis == Long.MAX_VALUE) {
            long t0 = System.nanoTime();
            int plainStatus = fetcher.get(url, headers).status();
            long plain = (System.nanoTime() - t0) / 1_000_000;
            serverMillis = Math.min(serverMillis, plain);
            samples.add(plain);
            if (status == 0) status = plainStatus;
        }
        return new Look(path, status, serverMillis, fatal, errors, failed, timing, shots, List.copyOf(samples));
    }

    /** One plain request's time, for more samples of a page whose slowdown must reproduce before it counts. */
    static long sample(PageFetcher fetcher, String url, Map<String, String> headers) throws IOException {
        long t0 = System.nanoTime();
        fetcher.get(url, headers);
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /**
     * The page's result: {@code after} judged against {@code before}, a difference image per
     * viewport written into {@code afterDir}. The result names its images relative to
     * {@code afterDir}, where its report is.
     *
     * @param allowance per viewport name, a share of the page that may differ without counting (what was approved)
     */
    static QaReport.PageResult compare(
            Look before, Path beforeDir, Look after, Path afterDir, ToDoubleFunction<String> allowance)
            throws IOException {
        List<QaReport.Shot> shots = new ArrayList<>();
        for (Map.Entry<String, String> shot : after.screenshots().entrySet()) {
            String viewport = shot.getKey();
            String then = before.screenshots().get(viewport);
            if (then == null) continue;
            byte[] thenPng = Files.readAllBytes(beforeDir.resolve(then));
            byte[] nowPng = Files.readAllBytes(afterDir.resolve(shot.getValue()));
            // the browser encodes the same pixels into the same bytes: an unchanged shot needs no decoding
            ScreenshotComparer.Comparison cmp = Arrays.equals(thenPng, nowPng)
                    ? ScreenshotComparer.Comparison.IDENTICAL
                    : ScreenshotComparer.compare(decode(thenPng), decode(nowPng));
            String diff = cmp.picture() == null ? null : shot.getValue().replaceFirst("\\.png$", "") + "-diff.png";
            if (diff != null)
                ImageIO.write(cmp.diffImage(), "png", afterDir.resolve(diff).toFile());
            double counted = Math.max(0, cmp.differingShare() - allowance.applyAsDouble(viewport));
            shots.add(new QaReport.Shot(
                    viewport,
                    counted,
                    afterDir.relativize(beforeDir.resolve(then)).toString(),
                    shot.getValue(),
                    diff));
        }
        List<String> newErrors = new ArrayList<>(after.consoleErrors());
        newErrors.removeAll(before.consoleErrors());
        List<String> newFailed = new ArrayList<>(after.failedRequests());
        newFailed.removeAll(before.failedRequests());
        return new QaReport.PageResult(
                after.path(),
                before.status(),
                after.status(),
                after.phpFatal() && !before.phpFatal(),
                shots,
                before.consoleErrors(),
                newErrors,
                newFailed,
                new QaReport.Speed(
                        before.serverMillis(),
                        after.serverMillis(),
                        before.timing(),
                        after.timing(),
                        before.serverSamples(),
                        after.serverSamples()));
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }
}
