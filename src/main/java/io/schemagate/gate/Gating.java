package io.schemagate.gate;

/** The names through which pods opt in to gating and through which SchemaGate holds them. */
public final class Gating {
    /** Pod label naming the DatabaseMigration, in the pod's namespace, whose schema the pod needs. */
    public static final String MIGRATION_LABEL = "schemagate.io/migration";
    /** Optional pod annotation: the schema version the pod needs, instead of its image's or Ready. */
    public static final String REVISION_ANNOTATION = "schemagate.io/revision";
    /** The scheduling gate that holds a pod; the scheduler ignores a pod while it has any gate. */
    public static final String SCHEDULING_GATE = "schemagate.io/schema";
    /**
     * Put on the pods SchemaGate holds, with the gate, and taken off with it: the operator watches only
     * pods carrying it, so its cache holds the few waiting pods rather than every opted-in pod.
     */
    public static final String HELD_LABEL = "schemagate.io/held";

    private Gating() {}
}
