package io.schemagate.webhook.tls;

/** Where the webhook's serving certificate comes from. */
interface CertificateSource {

    /** The certificate to serve now; renews it or re-reads it first, as this source needs. */
    ServingCertificate refresh();
}
