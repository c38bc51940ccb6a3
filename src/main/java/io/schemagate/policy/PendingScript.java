package io.schemagate.policy;

/** A script a run would apply, in order, with its placeholders replaced. */
public record PendingScript(String name, String sql) {}
