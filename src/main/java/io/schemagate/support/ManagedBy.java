package io.schemagate.support;

/** The label every object SchemaGate creates carries (its Jobs, its webhook certificate Secret). */
public final class ManagedBy {
    public static final String LABEL = "app.kubernetes.io/managed-by";
    public static final String VALUE = "schemagate";
    public static final String SELECTOR = LABEL + "=" + VALUE;

    private ManagedBy() {}
}
