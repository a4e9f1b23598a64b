package io.stageguard.qa;

import io.stageguard.support.StepProgress;
import io.stageguard.support.WritePoints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Spreads one task per page over a few Chromium sessions running side by side (each session
 * starts once and takes the next page when it is done), each admitted to staging first.
 */
final class BrowserSessions {
    private BrowserSessions() {}

    @FunctionalInterface
    interface PageTask<T> {
        T run(Browser browser, int index) throws IOException;
    }

    /** The tasks' results in the order of their indexes, 0 to {@code count - 1}. */
    static <T> List<T> map(
            QaProperties qa,
            int count,
            String stagingBaseUrl,
            String stagingToken,
            StepProgress progress,
            PageTask<T> task)
            throws IOException {
        Object[] results = new Object[count];
        ConcurrentLinkedQueue<Integer> todo = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < count; i++) todo.add(i);
        int sessions = Math.max(1, Math.min(qa.sessions(), count));
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        try {
            List<Future<Void>> workers = new ArrayList<>();
            for (int s = 0; s < sessions && count > 0; s++) {
                workers.add(pool.submit(() -> {
                    try (Browser browser = new Browser(qa)) {
                        browser.admitTo(stagingBaseUrl, stagingToken);
                        WritePoints.reached(WritePoints.QA_BROWSER_RUNNING, browser.profile());
                        for (Integer i = todo.poll(); i != null; i = todo.poll()) {
                            results[i] = task.run(browser, i);
                            progress.advance();
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> worker : workers) worker.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("QA interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io
                    ? io
                    : new IOException(
                            "a browser session failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        @SuppressWarnings("unchecked")
        List<T> list = (List<T>) Arrays.asList(results);
        return list;
    }
}
