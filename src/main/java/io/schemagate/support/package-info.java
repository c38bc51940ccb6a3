/** Small helpers every package may use (JSON, digests, timestamps, JSON patches); they import none of them. */
package io.schemagate.support;
