package io.schemagate.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateSecretTest {
    private final Instant now = Instant.now();
    private static final RenewalPolicy POLICY = new RenewalPolicy(
            ServingNames.of("webhook", "operators"), Duration.ofDays(3650), Duration.ofDays(365), Duration.ofDays(30));

    @Test
    void aNewSecretIsATlsSecretThatReadsBackAsWritten() {
        StoredCertificates certificates =
                POLICY.apply(StoredCertificates.NONE, now).certificates();

        Secret secret = CertificateSecret.write(certificates, null, "operators", "webhook-tls");

        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(secret.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "schemagate");
        assertThat(secret.getData()).containsOnlyKeys("tls.crt", "tls.key", "ca.crt", "ca.key");
        assertThat(CertificateSecret.read(secret)).isEqualTo(certificates);
    }

    @Test
    void anExistingSecretKeepsItsTypeAndMetadata() {
        StoredCertificates certificates =
                POLICY.apply(StoredCertificates.NONE, now).certificates();
        Secret existing = new SecretBuilder()
                .withNewMetadata()
                .withName("webhook-tls")
                .withNamespace("operators")
                .withResourceVersion("7")
                .addToAnnotations("meta.helm.sh/release-name", "schemagate")
                .endMetadata()
                .withType("Opaque")
                .build();

        Secret secret = CertificateSecret.write(certificates, existing, "operators", "webhook-tls");

        assertThat(secret.getType()).isEqualTo("Opaque");
        assertThat(secret.getMetadata()).isEqualTo(existing.getMetadata());
        assertThat(CertificateSecret.read(secret)).isEqualTo(certificates);
    }

    @Test
    void everyCaOfTheBundleReadsBackWithItsOwnKey() {
        StoredCertificates first = POLICY.apply(StoredCertificates.NONE, now).certificates();
        CertificateAuthority successor = CertificateAuthority.create(now, Duration.ofDays(3651));
        StoredCertificates two =
                new StoredCertificates(List.of(successor, first.authorities().get(0)), first.serving());
        Secret secret = CertificateSecret.write(two, null, "operators", "webhook-tls");

        StoredCertificates read = CertificateSecret.read(secret);

        assertThat(read.authorities()).containsExactly(first.authorities().get(0), successor);
    }

    @Test
    void unusablePartsReadAsMissing() {
        StoredCertificates certificates =
                POLICY.apply(StoredCertificates.NONE, now).certificates();
        StoredCertificates other = POLICY.apply(StoredCertificates.NONE, now).certificates();
        Secret secret = CertificateSecret.write(certificates, null, "operators", "webhook-tls");

        Secret garbledCa =
                new SecretBuilder(secret).addToData("ca.crt", base64("garbage")).build();
        Secret foreignKey = new SecretBuilder(secret)
                .addToData(
                        "tls.key",
                        base64(Pem.privateKeys(List.of(other.serving().key()))))
                .build();
        Secret caWithoutKey = new SecretBuilder(secret).removeFromData("ca.key").build();
        Secret empty = new SecretBuilder()
                .withNewMetadata()
                .withName("webhook-tls")
                .endMetadata()
                .build();

        assertThat(CertificateSecret.read(garbledCa).authorities()).isEmpty();
        assertThat(CertificateSecret.read(garbledCa).serving()).isEqualTo(certificates.serving());
        assertThat(CertificateSecret.read(foreignKey).serving()).isNull();
        assertThat(CertificateSecret.read(caWithoutKey).authorities()).isEmpty();
        assertThat(CertificateSecret.read(empty)).isEqualTo(StoredCertificates.NONE);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
