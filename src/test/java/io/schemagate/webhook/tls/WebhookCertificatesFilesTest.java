package io.schemagate.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files mode: the certificate another tool writes is served, and re-read when it replaces it. */
class WebhookCertificatesFilesTest {
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(100);
    private final CertificateAuthority issuer = CertificateAuthority.create(Instant.now(), Duration.ofDays(90));
    private static final ServingNames NAMES = ServingNames.of("schemagate-webhook", "operators");

    @TempDir
    Path directory;

    private WebhookCertificates certificates;

    @AfterEach
    void stop() {
        if (certificates != null) {
            certificates.stop();
        }
    }

    @Test
    void theFilesAreServedWithTheKeyAsPkcs8() throws Exception {
        KeyedCertificate issued = issuer.issue(NAMES, Instant.now(), Duration.ofDays(30));
        write(issued, true);

        ServingCertificate served = started().current();

        assertThat(served.certificateChainPem()).isEqualTo(Pem.certificates(List.of(issued.certificate())));
        assertThat(served.privateKeyPem()).isEqualTo(Pem.privateKeys(List.of(issued.key())));
        assertThat(served.caBundlePem()).isEqualTo(Pem.certificates(List.of(issuer.certificate())));
        assertThat(served.notAfter()).isEqualTo(issued.notAfter());
    }

    @Test
    void withoutCaFileTheBundleIsEmpty() throws Exception {
        write(issuer.issue(NAMES, Instant.now(), Duration.ofDays(30)), false);

        assertThat(started().current().caBundlePem()).isEmpty();
    }

    @Test
    void aReplacedCertificateIsReReadAndAnnounced() throws Exception {
        write(issuer.issue(NAMES, Instant.now(), Duration.ofDays(30)), true);
        List<ServingCertificate> announced = new CopyOnWriteArrayList<>();
        started().onChange(announced::add);
        KeyedCertificate replacement = issuer.issue(NAMES, Instant.now(), Duration.ofDays(60));

        write(replacement, true);

        await().atMost(Duration.ofSeconds(10)).until(() -> !announced.isEmpty());
        assertThat(announced)
                .singleElement()
                .satisfies(served -> assertThat(served.certificateChainPem())
                        .isEqualTo(Pem.certificates(List.of(replacement.certificate()))));
        assertThat(certificates.current()).isEqualTo(announced.get(0));
    }

    @Test
    void aCertificateWithAnotherCertificatesKeyIsRefused() throws Exception {
        write(issuer.issue(NAMES, Instant.now(), Duration.ofDays(30)), true);
        Files.writeString(
                directory.resolve("tls.key"),
                Pem.privateKeys(List.of(
                        issuer.issue(NAMES, Instant.now(), Duration.ofDays(30)).key())));

        assertThatThrownBy(() -> new CertificateFiles(directory).refresh())
                .hasMessageContaining("tls.key is not the key of tls.crt");
    }

    @Test
    void aHalfReplacedPairKeepsTheCurrentCertificateUntilTheKeyFollows() throws Exception {
        KeyedCertificate original = issuer.issue(NAMES, Instant.now(), Duration.ofDays(30));
        KeyedCertificate replacement = issuer.issue(NAMES, Instant.now(), Duration.ofDays(60));
        write(original, true);
        List<ServingCertificate> announced = new CopyOnWriteArrayList<>();
        ServingCertificate served = started().onChange(announced::add);

        Files.writeString(directory.resolve("tls.crt"), Pem.certificates(List.of(replacement.certificate())));
        await().during(CHECK_INTERVAL.multipliedBy(5))
                .atMost(Duration.ofSeconds(10))
                .until(() -> certificates.current().equals(served));
        Files.writeString(directory.resolve("tls.key"), Pem.privateKeys(List.of(replacement.key())));

        await().atMost(Duration.ofSeconds(10)).until(() -> !announced.isEmpty());
        assertThat(announced)
                .singleElement()
                .satisfies(next -> assertThat(next.notAfter()).isEqualTo(replacement.notAfter()));
    }

    @Test
    void missingFilesFailTheStart() {
        assertThatThrownBy(this::started)
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("tls.crt");
    }

    @Test
    void aDisabledWebhookHasNoCertificate() {
        certificates = new WebhookCertificates(
                null, "operators", WebhookSettings.files(directory).disabled(), Clock.systemUTC());

        assertThatThrownBy(certificates::current).hasMessageContaining("schemagate.webhook.enabled=false");
    }

    private WebhookCertificates started() {
        certificates = new WebhookCertificates(
                null,
                "operators",
                WebhookSettings.files(directory).withCheckInterval(CHECK_INTERVAL),
                Clock.systemUTC());
        certificates.start();
        return certificates;
    }

    private void write(KeyedCertificate issued, boolean withCa) throws Exception {
        Files.writeString(directory.resolve("tls.crt"), Pem.certificates(List.of(issued.certificate())));
        Files.writeString(directory.resolve("tls.key"), Pem.privateKeys(List.of(issued.key())));
        if (withCa) {
            Files.writeString(directory.resolve("ca.crt"), Pem.certificates(List.of(issuer.certificate())));
        }
    }
}
