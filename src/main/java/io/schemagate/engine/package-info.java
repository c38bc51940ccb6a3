/**
 * What each engine is, one class an engine behind {@link io.schemagate.engine.MigrationEngine}: the
 * spec block it reads, how it names and checksums scripts, the table it keeps, the tool a run
 * executes (or none, where the runner applies the scripts), its lines of the run digest, how its
 * Job is shaped and what the change policy can read of it. {@link io.schemagate.engine.Engines}
 * maps {@code spec.engine} to them; the rest of the operator asks the engine and never its name.
 * Free of Kubernetes types: the Job is built from what the engine says, in {@code reconcile}.
 */
@NullMarked
package io.schemagate.engine;

import org.jspecify.annotations.NullMarked;
