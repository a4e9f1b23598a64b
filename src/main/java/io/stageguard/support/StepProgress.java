package io.stageguard.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far the step a thread works on has come ("5 of 12 tables copied"), for the status API while
 * the step's job runs: the engine writes its history only when the job commits, so without this
 * nobody could tell what a long clone or QA round is doing. A step starts counting on the thread
 * that runs its job; helpers it hands work to advance the same counter.
 */
public final class StepProgress {
    private static final Map<Thread, StepProgress> RUNNING = new ConcurrentHashMap<>();
    private final String what;
    private final long total;
    private final AtomicLong done = new AtomicLong();

    private StepProgress(String what, long total) {
        this.what = what;
        this.total = total;
    }

    /** Starts counting {@code what} (of {@code total}, or -1 when unknown) for the step this thread works on. */
    public static StepProgress start(String what, long total) {
        StepProgress progress = new StepProgress(what, total);
        RUNNING.put(Thread.currentThread(), progress);
        return progress;
    }

    /** One more done on the counter this thread's step started, if it started one. */
    public static void advanceThisThread() {
        StepProgress progress = RUNNING.get(Thread.currentThread());
        if (progress != null) progress.advance();
    }

    public void advance() {
        done.incrementAndGet();
    }

    /** What the step running on {@code thread} reported, or null. */
    public static String of(Thread thread) {
        StepProgress progress = RUNNING.get(thread);
        return progress == null
                ? null
                : (progress.total < 0
                        ? progress.done.get() + " " + progress.what
                        : progress.done.get() + " of " + progress.total + " " + progress.what);
    }

    /** The step on {@code thread} ended: its counter goes. */
    public static void clear(Thread thread) {
        RUNNING.remove(thread);
    }
}
