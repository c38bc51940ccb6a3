package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.quarkus.logging.Log;
import io.schemagate.api.AdoptionStatus;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationStatus;
import io.schemagate.api.RevisionStatus;
import io.schemagate.api.RunStatus;
import io.schemagate.config.SchemaGateConfig;
import io.schemagate.contract.Direction;
import io.schemagate.contract.Outcome;
import io.schemagate.db.DatabaseConnection;
import io.schemagate.db.Redactor;
import io.schemagate.engine.RunSettings;
import io.schemagate.support.KeyedLocks;
import io.schemagate.support.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Starts migration Jobs and keeps track of them: which are running, how the finished ones ended. */
final class RunTracker {
    private static final int HTTP_UNPROCESSABLE = 422;
    /** Enough of a tool's output to reach back to its failure; bounded, as a tool may print without end. */
    private static final int TOOL_LOG_LINES = 2000;
    /** The label the Job controller puts on the pods of a Job, naming it. */
    static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";

    private final KubernetesClient client;
    private final SchemaGateConfig.Runner runner;
    private final EventRecorder events;
    private final RunMetrics metrics;
    private final InformerEventSource<Job, DatabaseMigration> jobs;
    private final NamespacedInformers<Pod, TrimmingStore<Pod>> runnerPods;
    /**
     * Held while checking for another run on a history table and starting one: per table, so that
     * starts on different databases go at once.
     */
    private final KeyedLocks<String> starting = new KeyedLocks<>();
    /** The Job started last on each history table, by database key. */
    private final Map<String, StartedJob> lastStarted = new ConcurrentHashMap<>();

    /** A Job, and the uid of the resource that started it. */
    private record StartedJob(ResourceID job, String owner) {}

    private final ConnectionHandover handover;

    RunTracker(
            KubernetesClient client,
            SchemaGateConfig.Runner runner,
            EventRecorder events,
            RunMetrics metrics,
            InformerEventSource<Job, DatabaseMigration> jobs,
            NamespacedInformers<Pod, TrimmingStore<Pod>> runnerPods) {
        this.client = client;
        this.runner = runner;
        this.events = events;
        this.metrics = metrics;
        this.jobs = jobs;
        this.runnerPods = runnerPods;
        this.handover = new ConnectionHandover(client, jobs);
    }

    /** A run whose Job still waits for its connection Secret gets it now: an earlier create was refused. */
    void handOverConnection(
            DatabaseMigration resource, JobState running, RunSettings settings, DatabaseConnection connection)
            throws Unresolvable {
        if (ConnectionHandover.waiting(running.job())) {
            handover.complete(resource, running.job(), settings, connection);
        }
    }

    /**
     * The resource's Jobs from the informer, plus the run status says is in progress when the
     * informer has not delivered its Job yet: planning without it would start a second run. Each as
     * its cached pods tell it too ({@link JobState#of}).
     */
    List<JobState> ownJobs(
            DatabaseMigration resource, DatabaseMigrationStatus status, Context<DatabaseMigration> context) {
        List<JobState> known = context.getSecondaryResourcesAsStream(Job.class)
                .map(job -> JobState.of(job, cachedPodsOf(job)))
                .toList();
        Optional<RunStatus> running = running(status);
        if (running.isEmpty()
                || known.stream()
                        .anyMatch(job -> job.name().equals(running.get().getJob()))) {
            return known;
        }
        Job job = client.batch()
                .v1()
                .jobs()
                .inNamespace(resource.getMetadata().getNamespace())
                .withName(running.get().getJob())
                .get();
        return job == null
                ? known
                : Stream.concat(known.stream(), Stream.of(new JobState(job))).toList();
    }

    /**
     * Records as failed the run status says is in progress when its Job is gone (deleted by hand before
     * it finished): it will never end by itself.
     */
    void recordVanished(DatabaseMigration resource, DatabaseMigrationStatus status, List<JobState> ownJobs) {
        running(status)
                .filter(run -> ownJobs.stream().noneMatch(job -> job.name().equals(run.getJob())))
                .ifPresent(vanished -> {
                    vanished.setOutcome(Outcome.Failed);
                    vanished.setReason(Reasons.RUN_FAILED);
                    vanished.setMessage("Job " + vanished.getJob() + " was deleted before it finished");
                    // The retry's backoff counts from here: without an end, the retry would never be due.
                    vanished.setFinishedAt(Timestamps.format(Instant.now()));
                    vanished.setConsecutiveFailures(RunHistory.failuresInARow(status, vanished));
                    RunHistory.record(status, vanished);
                    announce(resource, vanished);
                });
    }

    private static Optional<RunStatus> running(DatabaseMigrationStatus status) {
        return Optional.ofNullable(status.getLastRun()).filter(run -> run.getOutcome() == Outcome.Running);
    }

    /**
     * Records, oldest first, the outcome of every Job that ended since the last record, and returns them.
     *
     * @param redactor masks the resource's credentials in what a tool printed (the runner masks its
     *     own output itself); asked for only when a run ended, as it reads the resource's Secrets
     */
    List<RunStatus> recordFinished(
            DatabaseMigration resource,
            DatabaseMigrationStatus status,
            List<JobState> ownJobs,
            Supplier<Redactor> redactor) {
        List<RunStatus> recorded = new ArrayList<>();
        ownJobs.stream()
                .filter(JobState::isFinished)
                .filter(job -> RunHistory.isUnrecorded(status, job))
                .sorted(Comparator.comparing(job -> job.job().getMetadata().getCreationTimestamp()))
                .forEach(job -> {
                    List<Pod> pods = podsOf(job);
                    RunStatus run = RunRecords.finished(job, pods);
                    List<String> reached = RunRecords.reachedBy(pods);
                    if (!reached.isEmpty()) {
                        // Only a run sees the scripts that place Alembic's heads in their graph: kept
                        // for as long as the database stays at the heads this run left.
                        RevisionStatus revision =
                                Optional.ofNullable(status.getRevision()).orElseGet(RevisionStatus::new);
                        revision.setCurrent(run.getTo());
                        revision.setReached(reached);
                        status.setRevision(revision);
                    }
                    if (run.getAdopted() != null && status.getAdoption() == null) {
                        // Once: the history now has rows, and spec.adopt is never carried out again.
                        AdoptionStatus adoption = new AdoptionStatus();
                        adoption.setVersion(run.getAdopted());
                        adoption.setJob(run.getJob());
                        adoption.setAt(run.getFinishedAt());
                        status.setAdoption(adoption);
                    }
                    if (Reasons.COMMAND_FAILED.equals(run.getReason())) {
                        namedInToolLog(pods, run);
                    }
                    Redactor masks = redactor.get();
                    run.setMessage(masks.redact(run.getMessage()));
                    run.setLogTail(masks.redact(run.getLogTail()));
                    if (run.getOutcome() == Outcome.Failed) {
                        run.setConsecutiveFailures(RunHistory.failuresInARow(status, run));
                    }
                    RunHistory.record(status, run);
                    announce(resource, run);
                    recorded.add(run);
                });
        return recorded;
    }

    /**
     * Creates the run's Job and records the run as in progress.
     *
     * @param connection what the tool of an alembic or command run is handed ({@link ConnectionHandover})
     * @throws Unresolvable when the API server refuses the Job (a quota, an admission policy): its
     *     message is the server's own; when another resource started a run on the same history table
     *     since this run was planned; or when the run's connection Secret could not be created
     */
    void start(
            DatabaseMigration resource, DatabaseMigrationStatus status, PlannedRun run, DatabaseConnection connection)
            throws Unresolvable {
        Job desired = MigrationJob.desired(resource, run, runner);
        // Reconciles of different resources run in parallel: without the lock, two resources on one
        // history table could both find no other run and both start one.
        Job job = starting.holding(run.databaseKey(), () -> create(resource, run, desired));
        if (job == null) {
            throw Unresolvable.retryable(
                    Reasons.JOB_REJECTED, "Job " + run.jobName() + " was deleted while it was being created");
        }
        RunHistory.record(status, RunRecords.running(new JobState(job)));
        if (ConnectionHandover.waiting(job)) {
            handover.complete(resource, job, run.settings(), connection);
        }
    }

    /**
     * Creates the run's Job unless another resource's run is active on its history table; called
     * holding that table's lock.
     *
     * @return the Job created, or the one an earlier reconcile created; null when that one was deleted since
     */
    private Job create(DatabaseMigration resource, PlannedRun run, Job desired) throws Unresolvable {
        Optional<String> other = otherRunOn(run.databaseKey(), resource);
        if (other.isPresent()) {
            throw Unresolvable.retryable(Reasons.WAITING_FOR_OTHER_MIGRATION, RunPlanner.otherRun(other.get()));
        }
        String namespace = desired.getMetadata().getNamespace();
        try {
            Job job = client.batch()
                    .v1()
                    .jobs()
                    .inNamespace(namespace)
                    .resource(desired)
                    .create();
            // Into the informer cache at once, so the next reconcile sees the run in progress.
            jobs.handleRecentResourceCreate(ResourceID.fromResource(resource), job);
            lastStarted.put(
                    run.databaseKey(),
                    new StartedJob(
                            ResourceID.fromResource(job), resource.getMetadata().getUid()));
            Log.infof("%s: started Job %s", where(resource), run.jobName());
            metrics.started(resource.getMetadata().getNamespace());
            events.normal(resource, Reasons.MIGRATION_STARTED, "Job " + run.jobName() + " started");
            if (run.approvedPlan() != null) {
                events.normal(
                        resource,
                        Reasons.PLAN_APPROVED,
                        "Job " + run.jobName() + " runs plan " + run.approvedPlan() + ", approved by "
                                + (run.approver() == null
                                        ? "an unrecorded user"
                                        : run.approver().describe()));
            }
            return job;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw rejected(resource, run, e);
            }
            // Created by an earlier reconcile whose Job event has not arrived yet: the same run, not a new one.
            return client.batch()
                    .v1()
                    .jobs()
                    .inNamespace(namespace)
                    .withName(run.jobName())
                    .get();
        }
    }

    /**
     * A refusal that may lift by itself (a quota raised, a policy changed) is retried with backoff;
     * one of the Job as invalid waits for a change of the spec that produced it.
     */
    private Unresolvable rejected(DatabaseMigration resource, PlannedRun run, KubernetesClientException e) {
        String message = "the API server refused Job " + run.jobName() + " (HTTP " + e.getCode() + "): "
                + ReconcileErrors.serverMessage(e);
        Log.warnf("%s: %s", where(resource), message);
        events.warning(resource, Reasons.JOB_REJECTED, message);
        return e.getCode() == HTTP_UNPROCESSABLE
                ? Unresolvable.stalled(Reasons.JOB_REJECTED, message)
                : Unresolvable.retryable(Reasons.JOB_REJECTED, message);
    }

    /**
     * Why the backup volume cannot take a dump, looked at before a run starts: a claim that does not
     * exist, or that only allows reading. A pod would wait on the one and fail on the other.
     */
    Optional<String> backupVolumeProblem(DatabaseMigration resource, RunSettings.Backup backup) {
        PersistentVolumeClaim claim = client.persistentVolumeClaims()
                .inNamespace(resource.getMetadata().getNamespace())
                .withName(backup.claim())
                .get();
        if (claim == null) {
            return Optional.of("the backup volume's PersistentVolumeClaim " + backup.claim() + " does not exist in"
                    + " namespace " + resource.getMetadata().getNamespace() + "; create it or change"
                    + " spec.backup.volume; no run was started");
        }
        List<String> modes =
                Optional.ofNullable(claim.getSpec().getAccessModes()).orElse(List.of());
        if (!modes.isEmpty() && modes.stream().allMatch("ReadOnlyMany"::equals)) {
            return Optional.of("the backup volume's PersistentVolumeClaim " + backup.claim() + " is read-only"
                    + " (accessModes ReadOnlyMany); dumps need a writable one; no run was started");
        }
        return Optional.empty();
    }

    /**
     * Deletes the resource's finished Jobs beyond the newest {@code finishedJobsKept}, whose outcomes
     * are recorded in status already. Their pods go with them.
     */
    void deleteOldFinished(List<JobState> ownJobs) {
        ownJobs.stream()
                .filter(JobState::isFinished)
                .filter(job -> job.job().getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(
                                (JobState job) -> job.job().getMetadata().getCreationTimestamp())
                        .reversed())
                .skip(runner.finishedJobsKept())
                .forEach(job -> client.batch()
                        .v1()
                        .jobs()
                        .inNamespace(job.job().getMetadata().getNamespace())
                        .withName(job.name())
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                        .delete());
    }

    /** Forgets the Jobs a deleted resource started: its Jobs go with it. */
    void forget(DatabaseMigration resource) {
        String uid = resource.getMetadata().getUid();
        lastStarted.values().removeIf(started -> started.owner().equals(uid));
    }

    /**
     * The running Job of another resource that migrates the same history table, if any. The Job
     * started last on the table is looked up by name too: the informer lists a new Job only once its
     * watch event arrived, and until then only a lookup by name finds it.
     */
    Optional<String> otherRunOn(String databaseKey, DatabaseMigration resource) {
        Stream<Job> justStarted =
                Optional.ofNullable(lastStarted.get(databaseKey)).flatMap(started -> jobs.get(started.job())).stream();
        Stream<Job> listed = jobs.list(
                job -> databaseKey.equals(job.getMetadata().getLabels().get(Labels.DATABASE)));
        return Stream.concat(justStarted, listed)
                .filter(job -> !isOwnedBy(job, resource) && new JobState(job).isActive())
                .map(job -> job.getMetadata().getNamespace() + "/"
                        + job.getMetadata().getName())
                .findFirst();
    }

    /**
     * The health of a run in progress, with why it makes no progress when it does not: a pod that
     * cannot be created (quota, admission) or scheduled, a container waiting (image, Secret key).
     */
    Health withPodProblems(JobState running, Health health) {
        List<Pod> pods = podsOf(running);
        Optional<String> problem =
                pods.isEmpty() ? PodProblems.creationFailure(warningsOn(running.job())) : PodProblems.describe(pods);
        return problem.map(text -> new Health(health.state(), health.reason(), health.message() + "; " + text))
                .orElse(health);
    }

    private List<Event> warningsOn(Job job) {
        return client.v1()
                .events()
                .inNamespace(job.getMetadata().getNamespace())
                .withField("involvedObject.uid", job.getMetadata().getUid())
                .withField("type", "Warning")
                .list()
                .getItems();
    }

    private void announce(DatabaseMigration resource, RunStatus run) {
        metrics.ended(resource.getMetadata().getNamespace(), run);
        if (run.getOutcome() == Outcome.Succeeded) {
            String verb = Direction.Down.name().equals(run.getDirection()) ? " reverted " : " applied ";
            String message = "Job " + run.getJob() + verb
                    + Optional.ofNullable(run.getApplied()).orElse(0)
                    + " migration(s): " + Optional.ofNullable(run.getFrom()).orElse("empty") + " -> "
                    + Optional.ofNullable(run.getTo()).orElse("empty")
                    + (run.getAdopted() == null ? "" : ", after adopting the database at " + run.getAdopted())
                    + (run.getBackup() == null
                            ? ""
                            : ", after a backup to " + run.getBackup().getFile());
            Log.infof("%s: %s", where(resource), message);
            events.normal(resource, Reasons.MIGRATION_SUCCEEDED, message);
        } else {
            String message = RunRecords.describeFailure(run);
            Log.warnf("%s: %s", where(resource), message);
            events.warning(resource, Optional.ofNullable(run.getReason()).orElse(Reasons.RUN_FAILED), message);
        }
    }

    /**
     * A failed tool's termination message is the last 2 KiB of its output, which a Python traceback
     * fills: the revision Alembic was running is named earlier, so it is looked for in the log. A log
     * that cannot be read (the node gone, RBAC without pods/log) leaves the record as it was.
     */
    private void namedInToolLog(List<Pod> pods, RunStatus run) {
        pods.stream()
                .max(Comparator.comparing(pod -> pod.getMetadata().getCreationTimestamp()))
                .ifPresent(pod -> {
                    try {
                        String log = client.pods()
                                .inNamespace(pod.getMetadata().getNamespace())
                                .withName(pod.getMetadata().getName())
                                .inContainer(MigrationJob.TOOL_CONTAINER)
                                .tailingLines(TOOL_LOG_LINES)
                                .getLog();
                        if (log != null) {
                            ToolOutput.failedRevision(log).ifPresent(run::setFailedMigration);
                            ToolOutput.sqlState(log).ifPresent(run::setSqlState);
                        }
                    } catch (KubernetesClientException e) {
                        Log.debugf(
                                "the log of %s's tool cannot be read: %s",
                                pod.getMetadata().getName(), e.getMessage());
                    }
                });
    }

    /**
     * The Job's pods from the informer's cache; from the API server only when the Job has ended but
     * the cache has not seen its newest pod end yet (the two arrive on different watches).
     */
    private List<Pod> podsOf(JobState job) {
        List<Pod> cached = cachedPodsOf(job.job());
        boolean seenEnded = cached.stream()
                .max(Comparator.comparing(pod -> pod.getMetadata().getCreationTimestamp()))
                .filter(RunnerPods::hasEnded)
                .isPresent();
        if (!job.isFinished() || seenEnded) {
            return cached;
        }
        return client.pods()
                .inNamespace(job.job().getMetadata().getNamespace())
                .withLabel(JOB_NAME_LABEL, job.name())
                .list()
                .getItems();
    }

    private List<Pod> cachedPodsOf(Job job) {
        String name = job.getMetadata().getName();
        return runnerPods
                .list(
                        job.getMetadata().getNamespace(),
                        pod -> name.equals(pod.getMetadata().getLabels().get(JOB_NAME_LABEL)))
                .toList();
    }

    private static boolean isOwnedBy(HasMetadata object, DatabaseMigration owner) {
        return object.getMetadata().getOwnerReferences().stream()
                .anyMatch(
                        ref -> Objects.equals(ref.getUid(), owner.getMetadata().getUid()));
    }

    private static String where(DatabaseMigration resource) {
        return resource.getMetadata().getNamespace() + "/"
                + resource.getMetadata().getName();
    }
}
