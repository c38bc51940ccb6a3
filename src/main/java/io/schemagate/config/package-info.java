/** Every operator setting, in one {@code @ConfigMapping} ({@link io.schemagate.config.SchemaGateConfig}). */
package io.schemagate.config;
