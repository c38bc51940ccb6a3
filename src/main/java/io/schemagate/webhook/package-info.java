/** The admission webhook that adds the scheduling gate, answering from the informer cache with {@code gate}. */
package io.schemagate.webhook;
