package io.schemagate.reconcile;

import java.time.Duration;

/** What the planner decided for a resource. */
public sealed interface Plan {

    /** The health to report while this plan is in force. */
    Health health();

    /** Nothing to run: the schema is where the spec wants it. */
    record UpToDate(Health health) implements Plan {}

    /** A Job of the resource is applying migrations; its end is an event. */
    record Running(JobState job, Health health) implements Plan {}

    /** Migrations are pending but the resource is suspended: nothing starts until it is resumed. */
    record Suspended(Health health) implements Plan {}

    /** Start this run now. */
    record Start(PlannedRun run, Health health) implements Plan {}

    /** A run is due, and waits for a person to approve exactly this plan (spec.approval). */
    record AwaitingApproval(PlannedRun run, Health health) implements Plan {}

    /** Look again after this long (a retry backing off, another resource's run). */
    record Wait(Health health, Duration recheckAfter) implements Plan {}

    /** Nothing will change until the spec, the source or the database does. */
    record Blocked(Health health) implements Plan {}
}
