package io.schemagate.webhook.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;

/** A certificate and its private key. */
record KeyedCertificate(X509Certificate certificate, PrivateKey key) {
    private static final SecureRandom RANDOM = new SecureRandom();

    Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /**
     * Whether the key is the private half of the certificate's public key. Two files read one after
     * the other can belong to different generations when their writer replaces them in between.
     */
    boolean keyMatches() {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            // EdDSA keys name their signature algorithm themselves.
            default -> key.getAlgorithm();
        };
        try {
            byte[] challenge = new byte[32];
            RANDOM.nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
