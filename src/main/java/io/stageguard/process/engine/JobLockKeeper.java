package io.stageguard.process.engine;

import io.stageguard.support.StepProgress;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.TransactionContext;
import org.camunda.bpm.engine.impl.cfg.TransactionListener;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutorContext;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.stereotype.Component;

/**
 * Short job locks that long jobs keep alive. A QA round or a culprit search drives browsers for
 * many minutes; a lock shorter than that would let the job start twice, and a lock longer than that
 * (it was an hour) left a release frozen for the hour after Stageguard was killed while the job ran.
 * So the lock is short ({@code camunda.bpm.job-execution.lock-time-in-millis}, two minutes), and
 * while a job's thread works on it this keeper pushes the lock's expiry forward every quarter of
 * that time. When the process dies, the pushes stop, the lock runs out, and the restarted (or
 * another) Stageguard picks the job up within minutes, by itself.
 *
 * <p>The push is one UPDATE of the job's lock expiry, guarded by the lock owner, without touching
 * its revision: the engine's own later update of the job (done, or failed and unlocked) still
 * passes its optimistic-locking check, and a job that has been unlocked is never re-locked here.
 * It goes through a connection of its own, never the pool the job threads fill, and a push that
 * fails is logged as a warning.
 */
@Component
public class JobLockKeeper extends AbstractProcessEnginePlugin {
    private static final Logger log = LoggerFactory.getLogger(JobLockKeeper.class);

    /** @param step whether the job runs a step (a service task) rather than only starts a phase (a call activity) */
    private record Held(
            String jobId,
            String lockOwner,
            String activityId,
            String activityName,
            boolean step,
            String processInstanceId,
            Instant since) {}

    private final JdbcTemplate jdbc;
    private final JobProperties properties;
    private final Map<Thread, Held> held = new ConcurrentHashMap<>();
    /** Jobs already reported as long-running, so the log says it once per job. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "stageguard-job-lock-keeper");
        t.setDaemon(true);
        return t;
    });
    private long lockMillis;

    public JobLockKeeper(DataSourceProperties dataSource, JobProperties properties) {
        // a connection of its own for each push: job threads hold the pool's connections for their whole step, and a
        // pool
        // they fill must not keep the one update that keeps their locks alive waiting (review 954a1fc, M4)
        this.jdbc = new JdbcTemplate(new DriverManagerDataSource(
                dataSource.determineUrl(), dataSource.determineUsername(), dataSource.determinePassword()));
        this.properties = properties;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        ExecutionListener onStepStart = execution -> holding(execution.getCurrentActivityName(), true);
        ExecutionListener onPhaseStart = execution -> holding(execution.getCurrentActivityName(), false);
        // a step that ends lets go at once; one that fails is let go by the next heartbeat (its job is unlocked)
        ExecutionListener onEnd = execution -> {
            StepProgress.clear(Thread.currentThread());
            letGo(held.remove(Thread.currentThread()));
        };
        configuration.getCustomPostBPMNParseListeners().add(new AbstractBpmnParseListener() {
            @Override
            public void parseServiceTask(Element element, ScopeImpl scope, ActivityImpl activity) {
                keep(activity, onStepStart);
            }

            @Override
            public void parseCallActivity(Element element, ScopeImpl scope, ActivityImpl activity) {
                keep(activity, onPhaseStart);
            }

            private void keep(ActivityImpl activity, ExecutionListener onStart) {
                if (!activity.isAsyncBefore()) return;
                activity.addListener(ExecutionListener.EVENTNAME_START, onStart);
                activity.addListener(ExecutionListener.EVENTNAME_END, onEnd);
            }
        });
    }

    @Override
    public void postProcessEngineBuild(ProcessEngine engine) {
        lockMillis = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
                .getJobExecutor()
                .getLockTimeInMillis();
        long every = Math.max(1000, lockMillis / 4);
        log.info(
                "Job locks last {} s; a job still working extends its lock every {} s",
                lockMillis / 1000,
                every / 1000);
        heartbeat.scheduleWithFixedDelay(this::extend, every, every, TimeUnit.MILLISECONDS);
    }

    /** Called at the start of an async activity, inside its job: this thread now works on that job. */
    private void holding(String activityName, boolean step) {
        JobExecutorContext context = Context.getJobExecutorContext();
        JobEntity job = context == null ? null : context.getCurrentJob();
        StepProgress.clear(Thread.currentThread());
        if (job != null && job.getLockOwner() != null) {
            Thread thread = Thread.currentThread();
            Held holding = new Held(
                    job.getId(),
                    job.getLockOwner(),
                    job.getActivityId(),
                    activityName,
                    step,
                    job.getProcessInstanceId(),
                    Instant.now());
            held.put(thread, holding);
            // a phase's job ends when its sub-process reaches its first wait, with no end event of the call activity:
            // let go when the
            // job's transaction ends, or the phase would look long-running beside the step that now works
            TransactionListener done = ended -> {
                if (held.remove(thread, holding)) letGo(holding);
            };
            TransactionContext transaction = Context.getCommandContext().getTransactionContext();
            transaction.addTransactionListener(TransactionState.COMMITTED, done);
            transaction.addTransactionListener(TransactionState.ROLLED_BACK, done);
        }
    }

    private void letGo(Held job) {
        if (job != null) reported.remove(job.jobId());
    }

    private void extend() {
        held.forEach((thread, job) -> {
            try {
                int extended = !thread.isAlive()
                        ? 0
                        : jdbc.update(
                                "update ACT_RU_JOB set LOCK_EXP_TIME_ = ? where ID_ = ? and LOCK_OWNER_ = ?",
                                Timestamp.from(Instant.now().plusMillis(lockMillis)),
                                job.jobId(),
                                job.lockOwner());
                // 0: the job is done, failed and unlocked, or its thread is gone
                if (extended == 0) {
                    if (held.remove(thread, job)) {
                        StepProgress.clear(thread);
                        letGo(job);
                    }
                } else if (job.since().plus(properties.longRunningAfter()).isBefore(Instant.now())
                        && reported.add(job.jobId())) {
                    log.warn(
                            "Step {} of process instance {} has been working for {} minutes (job {}); if it hangs, its lock is kept "
                                    + "alive: see the thread {} and, if needed, restart Stageguard",
                            job.activityId(),
                            job.processInstanceId(),
                            Duration.between(job.since(), Instant.now()).toMinutes(),
                            job.jobId(),
                            thread.getName());
                }
            } catch (RuntimeException e) {
                // the lock lapses if this goes on, and another executor may start the same job beside this one
                log.warn(
                        "Could not extend the lock of job {} (step {} of process instance {}); it lapses {} s after the last extension: {}",
                        job.jobId(),
                        job.activityId(),
                        job.processInstanceId(),
                        lockMillis / 1000,
                        e.getMessage());
            }
        });
    }

    /**
     * A step this Stageguard works on right now, which the history shows only once its job
     * commits: how long it has worked and how far it says it has come.
     */
    public record Working(String step, String processInstanceId, Instant since, long minutes, String progress) {}

    /** The steps of the given process instances that this Stageguard works on now. */
    public List<Working> working(Collection<String> processInstanceIds) {
        Instant now = Instant.now();
        return held.entrySet().stream()
                .filter(e -> e.getValue().step()
                        && processInstanceIds.contains(e.getValue().processInstanceId()))
                .map(e -> new Working(
                        e.getValue().activityName() == null
                                ? e.getValue().activityId()
                                : e.getValue().activityName(),
                        e.getValue().processInstanceId(),
                        e.getValue().since(),
                        Duration.between(e.getValue().since(), now).toMinutes(),
                        StepProgress.of(e.getKey())))
                .toList();
    }

    /** The long-running steps of the given process instances (those this process works on: jobs are held in memory). */
    public List<Working> longRunning(Collection<String> processInstanceIds) {
        Instant now = Instant.now();
        return held.values().stream()
                .filter(job -> processInstanceIds.contains(job.processInstanceId())
                        && job.since().plus(properties.longRunningAfter()).isBefore(now))
                .map(job -> new Working(
                        job.activityId(),
                        job.processInstanceId(),
                        job.since(),
                        Duration.between(job.since(), now).toMinutes(),
                        null))
                .toList();
    }

    @PreDestroy
    void stop() {
        heartbeat.shutdownNow();
    }
}
