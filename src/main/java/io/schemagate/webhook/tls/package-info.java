/** The webhook's serving certificate: self-managed CA and renewal, or files from cert-manager; caBundle publishing. */
package io.schemagate.webhook.tls;
