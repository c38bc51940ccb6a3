/**
 * The offline change policy: pending SQL scripts parsed by PostgreSQL's own parser (libpg_query,
 * {@link io.schemagate.policy.PostgresParser}) and the statements that destroy data, break running
 * pods or lock live tables found in them ({@link io.schemagate.policy.ChangeReview}). Needs no
 * database and no cluster; imports no Kubernetes type and no other SchemaGate package but support.
 */
@NullMarked
package io.schemagate.policy;

import org.jspecify.annotations.NullMarked;
