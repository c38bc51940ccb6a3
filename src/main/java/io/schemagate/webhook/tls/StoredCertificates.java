package io.schemagate.webhook.tls;

import java.util.List;

/**
 * What the self-managed Secret holds: the CAs clients are to trust, each with its key, ordered by
 * expiry (the oldest first), and the serving certificate, null when it is missing or unusable.
 */
record StoredCertificates(List<CertificateAuthority> authorities, KeyedCertificate serving) {
    static final StoredCertificates NONE = new StoredCertificates(List.of(), null);

    StoredCertificates {
        authorities =
                authorities.stream().sorted(CertificateAuthority.BY_EXPIRY).toList();
    }

    ServingCertificate toServing() {
        return new ServingCertificate(
                Pem.certificates(List.of(serving.certificate())),
                Pem.privateKeys(List.of(serving.key())),
                Pem.certificates(authorities.stream()
                        .map(CertificateAuthority::certificate)
                        .toList()),
                serving.notAfter());
    }
}
