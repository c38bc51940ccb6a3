package io.schemagate.contract;

/** Which way a run moved the schema: up applies migrations, down reverts them (spec.downgrade). */
public enum Direction {
    Up,
    Down
}
