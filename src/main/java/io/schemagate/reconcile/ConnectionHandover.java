package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.db.DatabaseConnection;
import io.schemagate.db.ToolConnection;
import io.schemagate.engine.RunSettings;
import io.schemagate.support.ManagedBy;

/**
 * Hands the tool of an alembic or command run its connection, in a Secret of the run's own. The
 * Secret is owned by the run's Job, so that it goes with it; the Job is therefore created first,
 * suspended, and resumed only once its Secret exists: its pod never starts before the Secret it
 * refers to (no {@code CreateContainerConfigError} on the way), and a create the API server
 * refused is tried again by the next reconcile of the still suspended Job.
 */
final class ConnectionHandover {
    private final KubernetesClient client;
    private final InformerEventSource<Job, DatabaseMigration> jobs;

    ConnectionHandover(KubernetesClient client, InformerEventSource<Job, DatabaseMigration> jobs) {
        this.client = client;
        this.jobs = jobs;
    }

    /** Whether a run's Job waits, suspended, for its connection Secret: the runs whose tool connects. */
    static boolean needed(RunSettings settings) {
        return settings.tool() != null;
    }

    /** Whether the Job is still waiting for its connection Secret. */
    static boolean waiting(Job job) {
        return Boolean.TRUE.equals(job.getSpec().getSuspend());
    }

    /** The Secret a run's Job refers to for its tool's connection. */
    static String secretOf(String jobName) {
        return jobName + "-connection";
    }

    /**
     * Creates the Job's connection Secret (again, when an earlier create was refused) and resumes the
     * Job.
     *
     * @throws Unresolvable retried with backoff, when the API server refuses the Secret (a quota on
     *     Secrets, an admission policy) or the resume; the Job stays suspended meanwhile
     */
    void complete(DatabaseMigration resource, Job job, RunSettings settings, DatabaseConnection connection)
            throws Unresolvable {
        String namespace = job.getMetadata().getNamespace();
        String name = secretOf(job.getMetadata().getName());
        try {
            client.secrets()
                    .inNamespace(namespace)
                    .resource(secret(job, name, settings, connection))
                    .create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw refused("could not create the run's connection Secret " + name, e);
            }
        }
        try {
            Job resumed = client.batch()
                    .v1()
                    .jobs()
                    .inNamespace(namespace)
                    .withName(job.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":false}}");
            // Into the informer cache at once, so the next reconcile does not resume it again.
            jobs.handleRecentResourceUpdate(ResourceID.fromResource(resource), resumed, job);
        } catch (KubernetesClientException e) {
            throw refused("could not resume Job " + job.getMetadata().getName(), e);
        }
    }

    private static Secret secret(Job job, String name, RunSettings settings, DatabaseConnection connection) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(job.getMetadata().getNamespace())
                .addToLabels(ManagedBy.LABEL, ManagedBy.VALUE)
                // Without blockOwnerDeletion, which would need rights on the Job's finalizers.
                .addNewOwnerReference()
                .withApiVersion("batch/v1")
                .withKind("Job")
                .withName(job.getMetadata().getName())
                .withUid(job.getMetadata().getUid())
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withType("Opaque")
                .withStringData(ToolConnection.environment(connection, settings.format()))
                .build();
    }

    private static Unresolvable refused(String what, KubernetesClientException e) {
        return Unresolvable.retryable(
                Reasons.CONNECTION_HANDOVER_FAILED,
                what + " (HTTP " + e.getCode() + "): " + ReconcileErrors.serverMessage(e)
                        + "; the Job waits, suspended, and no pod starts until it exists");
    }
}
