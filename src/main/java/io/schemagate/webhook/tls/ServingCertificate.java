package io.schemagate.webhook.tls;

import java.time.Instant;

/**
 * What the webhook's HTTPS server needs, in PEM: the certificate chain it presents (the serving
 * certificate first), its private key in unencrypted PKCS#8 (as Vert.x {@code PemKeyCertOptions}
 * reads it), and the CA bundle that clients trust it by, empty when the certificate's issuer
 * provides none. Two values are equal when the server would serve the same.
 */
public record ServingCertificate(
        String certificateChainPem, String privateKeyPem, String caBundlePem, Instant notAfter) {

    /** Leaves the private key out, so that logging this value cannot leak it. */
    @Override
    public String toString() {
        return "ServingCertificate[notAfter=" + notAfter + "]";
    }
}
