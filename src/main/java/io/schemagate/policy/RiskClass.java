package io.schemagate.policy;

/** What a risky statement puts at risk; spec.policy sets what happens for each. */
public enum RiskClass {
    /** Data goes: a table, column, schema or type dropped, rows deleted or updated without a WHERE. */
    destructive,
    /** Pods running the current code break: a table or column renamed, a column's type changed. */
    breaking,
    /** A live table is locked for a long time or rewritten: an index built without CONCURRENTLY, ... */
    locking
}
