/**
 * What the operator and the runner agree on, and the one place each term of it is defined: the
 * runner's environment ({@link io.schemagate.contract.RunnerEnvironment}), the result document it
 * leaves in its container's termination message ({@link io.schemagate.contract.MigrationResult}),
 * how a run ends ({@link io.schemagate.contract.Outcome}) and why it failed
 * ({@link io.schemagate.contract.ErrorKind}). Both sides import it; it imports neither, nor
 * Kubernetes types, so a runner image needs nothing of the operator to speak it.
 */
@NullMarked
package io.schemagate.contract;

import org.jspecify.annotations.NullMarked;
