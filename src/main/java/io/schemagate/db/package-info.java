/**
 * The database side, free of Kubernetes types: history tables and what they record, migration sets and
 * versions, checksums, JDBC URLs, SQLSTATEs and invalid indexes. Testable against a real PostgreSQL
 * alone; imports no other SchemaGate package.
 */
@NullMarked
package io.schemagate.db;

import org.jspecify.annotations.NullMarked;
