package io.schemagate.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final ServingNames NAMES = ServingNames.of("schemagate-webhook", "operators");

    @Test
    void caIsASelfSignedCaValidForItsWholeLifetime() throws Exception {
        CertificateAuthority authority = CertificateAuthority.create(now, Duration.ofDays(3650));

        X509Certificate ca =
                parse(Pem.certificates(List.of(authority.certificate()))).get(0);

        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(ca.getSubjectX500Principal()).isEqualTo(ca.getIssuerX500Principal());
        ca.verify(ca.getPublicKey());
        assertThat(ca.getNotBefore().toInstant()).isBefore(now);
        assertThat(ca.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofDays(3650)));
        assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void servingCertificateIsValidForTheServiceNamesAndTheLoopback() throws Exception {
        KeyedCertificate serving =
                CertificateAuthority.create(now, Duration.ofDays(3650)).issue(NAMES, now, Duration.ofDays(365));

        X509Certificate certificate =
                parse(Pem.certificates(List.of(serving.certificate()))).get(0);

        assertThat(certificate.getSubjectAlternativeNames())
                .containsExactlyInAnyOrder(
                        List.of(2, "schemagate-webhook"),
                        List.of(2, "schemagate-webhook.operators"),
                        List.of(2, "schemagate-webhook.operators.svc"),
                        List.of(2, "schemagate-webhook.operators.svc.cluster.local"),
                        List.of(2, "localhost"),
                        List.of(7, "127.0.0.1"));
        assertThat(certificate.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(certificate.getNotBefore().toInstant()).isBefore(now);
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofDays(365)));
        assertThat(NAMES.matches(certificate)).isTrue();
        assertThat(ServingNames.of("schemagate-webhook", "elsewhere").matches(certificate))
                .isFalse();
    }

    @Test
    void servingCertificateChainsToItsCaAndNoOther() throws Exception {
        CertificateAuthority authority = CertificateAuthority.create(now, Duration.ofDays(3650));
        CertificateAuthority stranger = CertificateAuthority.create(now, Duration.ofDays(3650));
        KeyedCertificate serving = authority.issue(NAMES, now, Duration.ofDays(365));

        assertThat(authority.issued(serving.certificate())).isTrue();
        assertThat(stranger.issued(serving.certificate())).isFalse();
        validatePath(now, serving.certificate(), List.of(authority.certificate()));
    }

    @Test
    void servingCertificateNeverOutlivesItsCa() {
        CertificateAuthority authority = CertificateAuthority.create(now, Duration.ofDays(100));

        KeyedCertificate serving = authority.issue(NAMES, now, Duration.ofDays(365));

        assertThat(serving.notAfter()).isEqualTo(authority.notAfter());
    }

    @Test
    void privateKeyIsPkcs8PemOfTheCertificatesKey() throws Exception {
        KeyedCertificate serving =
                CertificateAuthority.create(now, Duration.ofDays(3650)).issue(NAMES, now, Duration.ofDays(365));

        String pem = Pem.privateKeys(List.of(serving.key()));

        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        assertThat(new KeyedCertificate(serving.certificate(), key).keyMatches())
                .isTrue();
    }

    @Test
    void aKeyOfAnotherCertificateDoesNotMatch() {
        CertificateAuthority authority = CertificateAuthority.create(now, Duration.ofDays(3650));
        KeyedCertificate first = authority.issue(NAMES, now, Duration.ofDays(365));
        KeyedCertificate second = authority.issue(NAMES, now, Duration.ofDays(365));

        assertThat(first.keyMatches()).isTrue();
        assertThat(new KeyedCertificate(first.certificate(), second.key()).keyMatches())
                .isFalse();
    }

    static List<X509Certificate> parse(String pem) throws Exception {
        return CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                .stream()
                .map(X509Certificate.class::cast)
                .toList();
    }

    /** Validates the certificate as a TLS client would, trusting the given CAs at the given time. */
    static void validatePath(Instant at, X509Certificate serving, List<X509Certificate> trusted) throws Exception {
        PKIXParameters parameters = new PKIXParameters(
                trusted.stream().map(ca -> new TrustAnchor(ca, null)).collect(Collectors.toSet()));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(serving)), parameters);
    }
}
