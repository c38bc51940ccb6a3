/**
 * The {@code migrate} mode a migration Job runs: settings from its environment, Flyway, failures
 * classified by SQLSTATE and error code, credentials masked, and the JSON result written to the
 * termination message. Plain Java: no Quarkus, no Kubernetes client, no reconcile code.
 */
package io.schemagate.runner;
