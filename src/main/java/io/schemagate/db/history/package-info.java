/**
 * One class per history format: what SchemaGate knows of the tool that writes that table (where it
 * is, how its rows read as a revision, how the tool names its scripts, what it says to repair a
 * failed row). {@link io.schemagate.db.HistoryFormat} maps the names the spec uses to them.
 */
@NullMarked
package io.schemagate.db.history;

import org.jspecify.annotations.NullMarked;
