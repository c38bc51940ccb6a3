package io.schemagate.webhook.tls;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.logging.Log;
import io.schemagate.support.ManagedBy;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the self-managed certificates are laid out in their Secret: a {@code kubernetes.io/tls}
 * Secret, so that tools reading tls.crt and tls.key understand it, plus the CA bundle in ca.crt
 * and the CAs' private keys in ca.key.
 */
final class CertificateSecret {
    static final String TYPE = "kubernetes.io/tls";
    static final String CERTIFICATE = "tls.crt";
    static final String KEY = "tls.key";
    static final String CA_CERTIFICATES = "ca.crt";
    static final String CA_KEYS = "ca.key";

    private CertificateSecret() {}

    /** The certificates in the Secret; a part that cannot be used reads as missing, and is then replaced. */
    static StoredCertificates read(Secret secret) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        String where =
                secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
        List<CertificateAuthority> authorities = new ArrayList<>();
        KeyedCertificate serving = null;
        try {
            List<PrivateKey> caKeys = Pem.readPrivateKeys(decode(data.get(CA_KEYS)));
            for (X509Certificate certificate : Pem.readCertificates(decode(data.get(CA_CERTIFICATES)))) {
                caKeys.stream()
                        .filter(key -> new KeyedCertificate(certificate, key).keyMatches())
                        .findFirst()
                        .ifPresent(key -> authorities.add(new CertificateAuthority(certificate, key)));
            }
        } catch (IllegalArgumentException e) {
            Log.warnf(
                    "Secret %s: the CA in %s and %s is unusable: %s", where, CA_CERTIFICATES, CA_KEYS, e.getMessage());
        }
        try {
            List<X509Certificate> chain = Pem.readCertificates(decode(data.get(CERTIFICATE)));
            List<PrivateKey> keys = Pem.readPrivateKeys(decode(data.get(KEY)));
            if (!chain.isEmpty() && !keys.isEmpty()) {
                KeyedCertificate candidate = new KeyedCertificate(chain.get(0), keys.get(0));
                serving = candidate.keyMatches() ? candidate : null;
            }
        } catch (IllegalArgumentException e) {
            Log.warnf(
                    "Secret %s: the certificate in %s and %s is unusable: %s", where, CERTIFICATE, KEY, e.getMessage());
        }
        return new StoredCertificates(authorities, serving);
    }

    /**
     * The Secret with these certificates: {@code existing} with its data replaced, or a new Secret
     * when there is none. An existing Secret keeps its type, which the API server does not let change.
     */
    static Secret write(StoredCertificates certificates, Secret existing, String namespace, String name) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(
                CERTIFICATE,
                encode(Pem.certificates(List.of(certificates.serving().certificate()))));
        data.put(KEY, encode(Pem.privateKeys(List.of(certificates.serving().key()))));
        data.put(
                CA_CERTIFICATES,
                encode(Pem.certificates(certificates.authorities().stream()
                        .map(CertificateAuthority::certificate)
                        .toList())));
        data.put(
                CA_KEYS,
                encode(Pem.privateKeys(certificates.authorities().stream()
                        .map(CertificateAuthority::key)
                        .toList())));
        if (existing != null) {
            return new SecretBuilder(existing)
                    .withData(data)
                    .withStringData(null)
                    .build();
        }
        return new SecretBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .addToLabels(ManagedBy.LABEL, ManagedBy.VALUE)
                .endMetadata()
                .withType(TYPE)
                .withData(data)
                .build();
    }

    private static String decode(String base64) {
        return base64 == null ? "" : new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
