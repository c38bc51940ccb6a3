/** The one artifact: {@link io.schemagate.Main} starts the operator, or the runner with {@code migrate}. */
package io.schemagate;
