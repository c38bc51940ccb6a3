package io.schemagate.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.schemagate.api.Approvals;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationStatus;
import io.schemagate.api.RunStatus;
import io.schemagate.api.VerifySpec;
import io.schemagate.api.WorkloadSource.Kind;
import io.schemagate.config.SchemaGateConfig;
import io.schemagate.contract.Outcome;
import io.schemagate.db.ConnectionPool;
import io.schemagate.db.DatabaseConnection;
import io.schemagate.db.JdbcUrls;
import io.schemagate.db.MigrationSet;
import io.schemagate.db.Redactor;
import io.schemagate.db.SchemaHistoryReader;
import io.schemagate.db.SchemaRevision;
import io.schemagate.db.SqlStates;
import io.schemagate.db.ToolConnection;
import io.schemagate.db.UnexpectedHistoryTableException;
import io.schemagate.db.VerifyCheck;
import io.schemagate.db.Version;
import io.schemagate.engine.RunSettings;
import io.schemagate.gate.Gating;
import io.schemagate.gate.KnownMigrations;
import io.schemagate.gate.PodGate;
import io.schemagate.support.Json;
import io.schemagate.support.ManagedBy;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Brings a database to the revision its DatabaseMigration asks for: observe (sources, database,
 * Jobs), plan ({@link RunPlanner}), act (create the Job), and report the status.
 */
// Every reconcile asks to be called again after the resync interval; the annotation's interval is
// only the safety net for a reconcile that ended in an error after its retries ran out.
@ControllerConfiguration(
        name = DatabaseMigrationReconciler.NAME,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class DatabaseMigrationReconciler implements Reconciler<DatabaseMigration> {
    public static final String NAME = "databasemigration";
    /** Bounds connecting and each query of a read, so that a hung database cannot hold a reconcile. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final SchemaGateConfig config;
    private final SchemaHistoryReader historyReader;
    private final RunPlanner planner;
    private final RetryBackoffs backoffs;
    private final EventRecorder events;
    private final RunMetrics metrics;
    private final KnownMigrations known;
    private final HeldPods heldPods;
    private final ChangePolicy policy;
    // These read through the informers, so they are built once prepareEventSources made them.
    private SourceResolver sources;
    private DatabaseAccess access;
    /** The caches of what resources refer to, which a deleted resource lets go of. */
    private List<WatchedObjects<?>> watched = List.of();

    private RunTracker runs;
    private InformerEventSource<Pod, DatabaseMigration> heldPodSource;

    public DatabaseMigrationReconciler(
            KubernetesClient client, SchemaGateConfig config, MeterRegistry registry, KnownMigrations known) {
        this.client = client;
        this.config = config;
        this.historyReader = new SchemaHistoryReader(
                READ_TIMEOUT,
                ConnectionPool.sweptEvery(
                        config.database().idleTimeout().dividedBy(2),
                        config.database().idleConnections(),
                        config.database().idleTimeout()));
        this.planner = new RunPlanner(config.retry());
        this.backoffs = new RetryBackoffs(config.retry());
        this.events = new EventRecorder(client);
        this.metrics = new RunMetrics(registry);
        this.known = known;
        this.heldPods = new HeldPods(client, events);
        this.policy = new ChangePolicy(config.policy().parserLibrary());
    }

    @Override
    public List<EventSource<?, DatabaseMigration>> prepareEventSources(EventSourceContext<DatabaseMigration> context) {
        Instant start = Instant.now();
        var jobs = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Job.class, DatabaseMigration.class)
                        .withLabelSelector(ManagedBy.SELECTOR)
                        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(DatabaseMigration.class, false))
                        .build(),
                context);
        // Every ConfigMap, Secret, Deployment and StatefulSet of the watched namespaces is seen, whatever its labels,
        // so that one created or changed after its resource wakes it at once; only the payloads of the
        // referenced ones are kept (ReferencedPayloadStore).
        var configMaps = referencedPayloads(
                context,
                start,
                "configmaps",
                ConfigMap.class,
                References::configMap,
                configMap -> new ConfigMapBuilder(configMap)
                        .withMetadata(ReferencedPayloadStore.leanMetadata(configMap))
                        .withData(null)
                        .withBinaryData(null)
                        .build());
        var secrets = referencedPayloads(
                context,
                start,
                "secrets",
                Secret.class,
                References::secret,
                secret -> new SecretBuilder(secret)
                        .withMetadata(ReferencedPayloadStore.leanMetadata(secret))
                        .withData(null)
                        .withStringData(null)
                        .build());
        var deployments = referencedPayloads(
                context,
                start,
                "deployments",
                Deployment.class,
                References.workload(Kind.Deployment),
                deployment -> new DeploymentBuilder(deployment)
                        .withMetadata(ReferencedPayloadStore.leanMetadata(deployment))
                        .withSpec(null)
                        .withStatus(null)
                        .build());
        var statefulSets = referencedPayloads(
                context,
                start,
                "statefulsets",
                StatefulSet.class,
                References.workload(Kind.StatefulSet),
                statefulSet -> new StatefulSetBuilder(statefulSet)
                        .withMetadata(ReferencedPayloadStore.leanMetadata(statefulSet))
                        .withSpec(null)
                        .withStatus(null)
                        .build());
        // Only held pods: the webhook labels the pods it gates, so the cache stays small however many
        // pods opt in.
        heldPodSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Pod.class, DatabaseMigration.class)
                        .withName("held-pods")
                        .withLabelSelector(Gating.HELD_LABEL)
                        .withOnAddFilter(StartupListing.createdSince(start))
                        .withSecondaryToPrimaryMapper((Pod pod) -> PodGate.migrationOf(pod) == null
                                ? Set.of()
                                : Set.of(new ResourceID(
                                        PodGate.migrationOf(pod),
                                        pod.getMetadata().getNamespace())))
                        .build(),
                context);
        var runnerPods = RunnerPods.informers(context, jobs);
        runs = new RunTracker(client, config.runner(), events, metrics, jobs, runnerPods);
        var watchedConfigMaps = new WatchedObjects<>(ConfigMap.class, client, configMaps, References::configMap);
        var watchedDeployments =
                new WatchedObjects<>(Deployment.class, client, deployments, References.workload(Kind.Deployment));
        var watchedStatefulSets =
                new WatchedObjects<>(StatefulSet.class, client, statefulSets, References.workload(Kind.StatefulSet));
        var watchedSecrets = new WatchedObjects<>(Secret.class, client, secrets, References::secret);
        watched = List.of(watchedConfigMaps, watchedDeployments, watchedStatefulSets, watchedSecrets);
        sources = new SourceResolver(
                watchedConfigMaps,
                watchedDeployments,
                watchedStatefulSets,
                ImageMounts.byDefault(config.runner().imageMount(), client::getKubernetesVersion));
        access = new DatabaseAccess(watchedSecrets);
        known.attach(
                context.getPrimaryCache(),
                context.getControllerConfiguration().getInformerConfig().getNamespaces());
        List<EventSource<?, DatabaseMigration>> all =
                new ArrayList<>(List.of(jobs, heldPodSource, new Deletions(this::deleted)));
        Stream.of(configMaps, secrets, deployments, statefulSets, runnerPods)
                .forEach(informers -> all.addAll(informers.eventSources()));
        return all;
    }

    /**
     * Informers of every object of a kind in the watched namespaces, keeping the payloads of only those
     * a resource refers to, so that a change to one wakes its resource at once.
     */
    private static <T extends HasMetadata> NamespacedInformers<T, ReferencedPayloadStore<T>> referencedPayloads(
            EventSourceContext<DatabaseMigration> context,
            Instant start,
            String name,
            Class<T> type,
            BiPredicate<DatabaseMigration, String> refersTo,
            UnaryOperator<T> withoutPayload) {
        return new NamespacedInformers<>(
                context,
                name,
                () -> new ReferencedPayloadStore<>(
                        object -> !referencing(context, object, refersTo).isEmpty(), withoutPayload),
                () -> InformerEventSourceConfiguration.from(type, DatabaseMigration.class)
                        .withOnAddFilter(StartupListing.createdSince(start))
                        .withSecondaryToPrimaryMapper((T object) -> referencing(context, object, refersTo)));
    }

    @Override
    public UpdateControl<DatabaseMigration> reconcile(DatabaseMigration resource, Context<DatabaseMigration> context) {
        Instant now = Instant.now();
        String uid = resource.getMetadata().getUid();
        DatabaseMigrationStatus before =
                resource.getStatus() == null ? new DatabaseMigrationStatus() : resource.getStatus();
        DatabaseMigrationStatus status = copy(before);
        List<JobState> ownJobs = runs.ownJobs(resource, status, context);
        runs.recordVanished(resource, status, ownJobs);
        List<RunStatus> finished = runs.recordFinished(resource, status, ownJobs, () -> redactor(resource));
        Workload workload = null;

        Health health;
        Duration recheck = config.resyncInterval();
        try {
            RunSettings settings = RunSettings.of(resource);
            ResolvedSource source = sources.resolve(resource, settings.engine().scripts());
            DatabaseConnection connection = access.resolve(resource);
            RevisionView view = new RevisionView(
                    read(connection, settings, checksOf(resource)),
                    scriptsOf(source),
                    settings.format().dialect().hasOrderedVersions()
                            ? Version.parse(settings.target())
                            : Version.LATEST,
                    settings.ignoreMissing());
            String databaseKey = DatabaseKey.of(connection.jdbcUrl(), settings.historyTable());
            String digest = RunDigest.of(source, databaseKey, settings);
            PolicyReview review = policy.review(resource, source, view, settings);
            StatusWriter.findings(status, review);
            if (status.getFindings() != null
                    && !Json.write(status.getFindings())
                            .equals(Json.write(
                                    Optional.ofNullable(before.getFindings()).orElse(List.of())))) {
                events.warning(
                        resource,
                        Reasons.POLICY_FINDINGS,
                        review.findings().size() + " risky statement(s) in the"
                                + " pending scripts (status.findings): "
                                + review.findings().stream()
                                        .limit(3)
                                        .map(PolicyReview::describe)
                                        .collect(Collectors.joining("; ")));
            }
            Plan plan = planner.plan(new Observation(
                    resource.getMetadata().getName(),
                    generationOf(resource),
                    retryRequestOf(resource),
                    resource.getSpec().isSuspend(),
                    source,
                    settings,
                    view,
                    digest,
                    databaseKey,
                    ownJobs,
                    status.getHistory(),
                    runs.otherRunOn(databaseKey, resource),
                    now,
                    reachedOf(status),
                    status.getAdoption() != null,
                    approvalOf(resource, config.webhook().enabled()),
                    review));
            health = plan.health();
            status.setPlan(plan instanceof Plan.AwaitingApproval awaiting ? PlanReport.of(awaiting.run(), view) : null);
            if (status.getPlan() != null
                    && (before.getPlan() == null
                            || !status.getPlan()
                                    .getDigest()
                                    .equals(before.getPlan().getDigest()))) {
                events.normal(resource, Reasons.AWAITING_APPROVAL, health.message());
            }
            Optional<String> noBackup = plan instanceof Plan.Start && settings.backup() != null
                    ? runs.backupVolumeProblem(resource, settings.backup())
                    : Optional.empty();
            if (noBackup.isPresent()) {
                // Looked at again at each resync, and at once when the resource changes.
                health = Health.stalled(Reasons.BACKUP_FAILED, noBackup.get());
            } else if (plan instanceof Plan.Start start) {
                runs.start(resource, status, start.run(), connection);
            } else if (plan instanceof Plan.Running running) {
                runs.handOverConnection(resource, running.job(), settings, connection);
                health = runs.withPodProblems(running.job(), health);
            } else if (plan instanceof Plan.Wait wait) {
                recheck = wait.recheckAfter();
            }
            StatusWriter.revision(status, view, settings);
            StatusWriter.source(status, source, digest);
            backoffs.reset(uid);
            if (source instanceof ResolvedSource.FromImage image) {
                workload = image.workload();
            }
        } catch (Unresolvable unresolvable) {
            health = unresolvable.health();
            if (unresolvable.isRetryable()) {
                int inARow = backoffs.fail(uid, generationOf(resource) + "/" + retryRequestOf(resource));
                if (backoffs.exhausted(inARow)) {
                    // Still read again at each resync, and at once on any event of what it refers to.
                    health = exhausted(health);
                } else {
                    recheck = backoffs.after(inARow);
                    health = new Health(
                            health.state(),
                            health.reason(),
                            health.message() + "; retrying in " + recheck.toSeconds() + "s");
                }
            }
        }
        StatusWriter.health(status, resource, health, now);
        releaseHeldPods(resource, status, before);
        if (workload != null) {
            reportFailuresOn(workload, resource, finished);
        }
        Log.debugf(
                "%s/%s: %s %s",
                resource.getMetadata().getNamespace(),
                resource.getMetadata().getName(),
                health.reason(),
                health.message());

        if (!Json.write(status).equals(Json.write(before))) {
            patchStatus(resource, status, context);
        }
        // Only once their outcomes are written: a Job is the only record of a run until then.
        runs.deleteOldFinished(ownJobs);
        return UpdateControl.<DatabaseMigration>noUpdate().rescheduleAfter(recheck);
    }

    /**
     * Any exception a reconcile did not turn into a health of its own still ends in a condition that
     * names it, so that no status is left standing as if nothing happened. The SDK retries the
     * reconcile with its backoff meanwhile.
     */
    @Override
    public ErrorStatusUpdateControl<DatabaseMigration> updateErrorStatus(
            DatabaseMigration resource, Context<DatabaseMigration> context, Exception error) {
        DatabaseMigrationStatus before =
                resource.getStatus() == null ? new DatabaseMigrationStatus() : resource.getStatus();
        DatabaseMigrationStatus status = copy(before);
        Redactor redactor = redactor(resource);
        String message = redactor.redact(ReconcileErrors.describe(error));
        // The error itself carries what the driver or client put in its messages: only its redacted copy is logged.
        Log.warnf(
                redactor.redactError(error),
                "%s/%s: reconcile failed: %s",
                resource.getMetadata().getNamespace(),
                resource.getMetadata().getName(),
                message);
        StatusWriter.health(
                status, resource, Health.progressing(Reasons.RECONCILE_ERROR, message + "; retrying"), Instant.now());
        if (!Json.write(status).equals(Json.write(before))) {
            patchStatus(resource, status, context);
        }
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    /**
     * What a deleted resource leaves: its held pods (released unless it says otherwise), its gauge,
     * its count of failures, the Jobs it started last, and the payloads of what it referred to.
     */
    private void deleted(DatabaseMigration resource) {
        String name = resource.getMetadata().getName();
        heldPods.resourceDeleted(
                resource,
                heldPodSource
                        .list(resource.getMetadata().getNamespace(), pod -> name.equals(PodGate.migrationOf(pod)))
                        .toList());
        metrics.forget(resource);
        backoffs.reset(resource.getMetadata().getUid());
        runs.forget(resource);
        watched.forEach(objects -> objects.release(resource));
    }

    /**
     * Lets go of the held pods whose schema the status now has, and counts those still waiting. Runs
     * on every reconcile, so a pod is released by the very event that completes its schema.
     */
    private void releaseHeldPods(
            DatabaseMigration resource, DatabaseMigrationStatus status, DatabaseMigrationStatus before) {
        List<Pod> held = heldPodSource.getSecondaryResources(resource).stream()
                .sorted(Comparator.comparing(pod -> pod.getMetadata().getName()))
                .toList();
        int waiting = heldPods.release(resource, status, before, held);
        status.setGatedPods(waiting);
        metrics.heldPods(resource, waiting);
    }

    /** A failed run for a workload is also told on the workload, whose new pods it keeps waiting. */
    private void reportFailuresOn(Workload workload, DatabaseMigration resource, List<RunStatus> finished) {
        finished.stream()
                .filter(run -> run.getOutcome() == Outcome.Failed)
                .forEach(run -> events.warning(
                        workload.object(),
                        Reasons.MIGRATION_FAILED,
                        "DatabaseMigration " + resource.getMetadata().getName() + ": "
                                + RunRecords.describeFailure(run) + "; pods of image " + run.getImage()
                                + " stay held"));
    }

    /**
     * Server-side apply of the status, owned by this controller, and the result put in the informer
     * cache at once: the reconcile that a Job event triggers next must see the run just recorded,
     * or it would record it again.
     */
    private static void patchStatus(
            DatabaseMigration resource, DatabaseMigrationStatus status, Context<DatabaseMigration> context) {
        DatabaseMigration patch = new DatabaseMigration();
        patch.getMetadata().setName(resource.getMetadata().getName());
        patch.getMetadata().setNamespace(resource.getMetadata().getNamespace());
        patch.setStatus(status);
        PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(resource, patch, context);
    }

    /**
     * @param checked whether this operator's webhook checks approvals: it serves them wherever it
     *     serves pods, from the same MutatingWebhookConfiguration
     */
    private static Approval approvalOf(DatabaseMigration resource, boolean checked) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations();
        return new Approval(
                resource.getSpec().approvalRequired(),
                annotations == null ? null : annotations.get(Approvals.APPROVE),
                Approver.of(annotations).orElse(null),
                checked);
    }

    private static List<String> reachedOf(DatabaseMigrationStatus status) {
        return status.getRevision() == null || status.getRevision().getReached() == null
                ? List.of()
                : status.getRevision().getReached();
    }

    private static List<VerifyCheck> checksOf(DatabaseMigration resource) {
        List<VerifySpec> checks = resource.getSpec().getVerify();
        return checks == null
                ? List.of()
                : checks.stream()
                        .map(check -> new VerifyCheck(check.getName(), check.getSql()))
                        .toList();
    }

    private SchemaRevision read(DatabaseConnection connection, RunSettings settings, List<VerifyCheck> checks)
            throws Unresolvable {
        try {
            return historyReader.read(connection, settings.historyTable(), settings.schemas(), checks);
        } catch (UnexpectedHistoryTableException e) {
            throw Unresolvable.stalled(
                    Reasons.UNEXPECTED_HISTORY_TABLE, redactorFor(connection).redact(e.getMessage()));
        } catch (SQLException e) {
            Redactor redactor = redactorFor(connection);
            String message = "cannot read the schema history of " + JdbcUrls.withoutCredentials(connection.jdbcUrl())
                    + ": " + redactor.redact(e.getMessage());
            throw Unresolvable.retryable(
                    SqlStates.isAuthentication(e.getSQLState())
                            ? Reasons.AUTHENTICATION_FAILED
                            : Reasons.DATABASE_UNREACHABLE,
                    message);
        }
    }

    private static Optional<MigrationSet> scriptsOf(ResolvedSource source) {
        return source instanceof ResolvedSource.FromConfigMaps fromConfigMaps
                ? Optional.of(fromConfigMaps.scripts())
                : Optional.empty();
    }

    private static <T extends HasMetadata> Set<ResourceID> referencing(
            EventSourceContext<DatabaseMigration> context, T object, BiPredicate<DatabaseMigration, String> refersTo) {
        String namespace = object.getMetadata().getNamespace();
        return context.getPrimaryCache()
                .list(namespace)
                .filter(resource -> refersTo.test(resource, object.getMetadata().getName()))
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }

    /**
     * The same transient failure too many times in a row. The configured count, not the growing one,
     * so that the status stays still across resyncs.
     */
    private Health exhausted(Health failure) {
        return Health.stalled(
                Reasons.RETRIES_EXHAUSTED,
                failure.reason() + " " + config.retry().maxAttempts() + " times in a row: " + failure.message() + "; "
                        + Reasons.HOW_TO_RETRY);
    }

    /** Masks the credentials the resource's Secrets hold, in whatever the operator writes about it. */
    private Redactor redactor(DatabaseMigration resource) {
        try {
            return redactorFor(access.resolve(resource));
        } catch (Unresolvable | RuntimeException unresolvable) {
            // Nothing could be read from the Secrets, so nothing read from them can be in the message.
            return Redactor.forCredentials(null, null);
        }
    }

    /** The connection's credentials, also as a tool is handed the password: percent-encoded in DATABASE_URL. */
    private static Redactor redactorFor(DatabaseConnection connection) {
        List<String> encoded =
                connection.password() == null ? List.of() : List.of(ToolConnection.urlEncoded(connection.password()));
        return Redactor.forCredentials(connection.jdbcUrl(), connection.password(), encoded);
    }

    private static long generationOf(DatabaseMigration resource) {
        return resource.getMetadata().getGeneration() == null
                ? 0
                : resource.getMetadata().getGeneration();
    }

    private static String retryRequestOf(DatabaseMigration resource) {
        return resource.getMetadata().getAnnotations() == null
                ? null
                : resource.getMetadata().getAnnotations().get(Labels.RETRY);
    }

    private static DatabaseMigrationStatus copy(DatabaseMigrationStatus status) {
        try {
            return Json.read(Json.write(status), DatabaseMigrationStatus.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a status always reads back", e);
        }
    }
}
