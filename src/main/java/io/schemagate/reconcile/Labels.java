package io.schemagate.reconcile;

/** The labels and annotations SchemaGate puts on the objects it creates or watches. */
public final class Labels {
    /** The DatabaseMigration a Job runs for. Not the pod opt-in label: runner pods are never gated. */
    public static final String RESOURCE = "schemagate.io/resource";

    public static final String DIGEST = "schemagate.io/digest";
    /** Annotation of a Job that copies its scripts out of an image: that image's reference. */
    public static final String IMAGE = "schemagate.io/image";

    public static final String ATTEMPT = "schemagate.io/attempt";
    /** A hash of database, schema and history table: runs sharing it are serialized. */
    public static final String DATABASE = "schemagate.io/database";

    /** Annotation of a resource: a new value asks for a run that failed to be tried again. */
    public static final String RETRY = "schemagate.io/retry";
    /** Annotation of a Job: the plan it runs was approved with this digest. */
    public static final String APPROVED_PLAN = "schemagate.io/approved-plan";
    /** Annotations of a Job: the resource's generation and retry request it was started for. */
    public static final String GENERATION = "schemagate.io/generation";

    public static final String RETRY_REQUEST = "schemagate.io/retry-request";

    private Labels() {}
}
