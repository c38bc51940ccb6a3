/**
 * What a pod needs and whether it may run, decided by one pure function ({@link io.schemagate.gate.PodGate})
 * for the webhook and the release alike. Imports neither reconcile nor webhook.
 */
@NullMarked
package io.schemagate.gate;

import org.jspecify.annotations.NullMarked;
