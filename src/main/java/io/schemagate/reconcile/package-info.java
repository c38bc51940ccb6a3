/**
 * The operator loop: observe (Jobs, sources, Secrets, the database), plan ({@link
 * io.schemagate.reconcile.RunPlanner}, pure), act (the migration Job), report (status and conditions,
 * built in one place) and release held pods. Does not import the webhook.
 */
package io.schemagate.reconcile;
