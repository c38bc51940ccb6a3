/**
 * The DatabaseMigration resource (v1alpha1): spec and status classes, their validation (CEL, patterns,
 * defaults) and the descriptions kubectl explain shows. Model only: imports no reconcile, runner, gate
 * or webhook code.
 */
package io.schemagate.api;
