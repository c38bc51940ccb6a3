package io.schemagate.webhook.tls;

import static io.schemagate.webhook.tls.CertificateAuthorityTest.parse;
import static io.schemagate.webhook.tls.CertificateAuthorityTest.validatePath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Self-managed certificates in a Secret of a real API server, shared by replicas. */
@ExtendWith(TestNamespace.Extension.class)
class SelfManagedCertificatesIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final WebhookSettings SETTINGS = WebhookSettings.selfManaged();
    private static final Duration UNTIL_RENEWAL =
            SETTINGS.certificateValidity().minus(SETTINGS.renewBefore()).plusDays(1);

    private final List<WebhookCertificates> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(WebhookCertificates::stop);
    }

    @Test
    void theFirstStartCreatesTheSecretForTheServiceNames(TestNamespace ns) throws Exception {
        ServingCertificate served = start(ns, SETTINGS, Clock.systemUTC()).current();

        Secret secret = secret(ns);
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(secret.getData()).containsOnlyKeys("tls.crt", "tls.key", "ca.crt", "ca.key");
        assertThat(decoded(secret, "tls.crt")).isEqualTo(served.certificateChainPem());
        assertThat(decoded(secret, "tls.key")).isEqualTo(served.privateKeyPem());
        assertThat(decoded(secret, "ca.crt")).isEqualTo(served.caBundlePem());
        X509Certificate certificate = parse(served.certificateChainPem()).get(0);
        assertThat(certificate.getSubjectAlternativeNames())
                .contains(List.of(2, "schemagate-webhook." + ns.name() + ".svc"), List.of(7, "127.0.0.1"));
        validatePath(Instant.now(), certificate, parse(served.caBundlePem()));
    }

    @Test
    void aSecondInstanceServesTheSameCertificateWithoutWriting(TestNamespace ns) {
        ServingCertificate first = start(ns, SETTINGS, Clock.systemUTC()).current();
        String version = secret(ns).getMetadata().getResourceVersion();

        ServingCertificate second = start(ns, SETTINGS, Clock.systemUTC()).current();

        assertThat(second).isEqualTo(first);
        assertThat(secret(ns).getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void replicasStartingAtOnceAgreeOnOneCertificate(TestNamespace ns) throws Exception {
        int replicas = 4;
        CyclicBarrier together = new CyclicBarrier(replicas);
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        try {
            List<Future<ServingCertificate>> results = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                results.add(pool.submit(() -> {
                    together.await();
                    return source(ns, Clock.systemUTC()).refresh();
                }));
            }
            Set<ServingCertificate> served = new HashSet<>();
            for (Future<ServingCertificate> result : results) {
                served.add(result.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }

            assertThat(served)
                    .singleElement()
                    .isEqualTo(CertificateSecret.read(secret(ns)).toServing());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExpiringCertificateIsRenewedByTheSameCaAndAnnounced(TestNamespace ns) {
        MovableClock clock = new MovableClock();
        WebhookCertificates certificates = start(ns, SETTINGS.withCheckInterval(Duration.ofMillis(200)), clock);
        List<ServingCertificate> announced = new CopyOnWriteArrayList<>();
        ServingCertificate original = certificates.onChange(announced::add);

        clock.advance(UNTIL_RENEWAL);

        await().atMost(TIMEOUT).until(() -> !announced.isEmpty());
        ServingCertificate renewed = announced.get(0);
        assertThat(renewed.notAfter()).isAfter(original.notAfter());
        assertThat(renewed.privateKeyPem()).isNotEqualTo(original.privateKeyPem());
        assertThat(renewed.caBundlePem()).isEqualTo(original.caBundlePem());
        assertThat(CertificateSecret.read(secret(ns)).toServing()).isEqualTo(renewed);
    }

    @Test
    void aCertificateAnotherReplicaRenewedIsAdopted(TestNamespace ns) {
        WebhookCertificates certificates =
                start(ns, SETTINGS.withCheckInterval(Duration.ofMillis(200)), Clock.systemUTC());
        List<ServingCertificate> announced = new CopyOnWriteArrayList<>();
        ServingCertificate original = certificates.onChange(announced::add);
        MovableClock later = new MovableClock();
        later.advance(UNTIL_RENEWAL);

        ServingCertificate renewedElsewhere = source(ns, later).refresh();

        assertThat(renewedElsewhere).isNotEqualTo(original);
        await().atMost(TIMEOUT).until(() -> announced.contains(renewedElsewhere));
        assertThat(certificates.current()).isEqualTo(renewedElsewhere);
    }

    private WebhookCertificates start(TestNamespace ns, WebhookSettings settings, Clock clock) {
        WebhookCertificates certificates = new WebhookCertificates(TestBed.get().client(), ns.name(), settings, clock);
        started.add(certificates);
        certificates.start();
        return certificates;
    }

    /** What another replica runs, without the periodic check around it. */
    private static SelfManagedCertificates source(TestNamespace ns, Clock clock) {
        RenewalPolicy policy = new RenewalPolicy(
                ServingNames.of(SETTINGS.service(), ns.name()),
                SETTINGS.caValidity(),
                SETTINGS.certificateValidity(),
                SETTINGS.renewBefore());
        return new SelfManagedCertificates(TestBed.get().client(), ns.name(), SETTINGS.secret(), policy, clock);
    }

    private static Secret secret(TestNamespace ns) {
        return TestBed.get()
                .client()
                .secrets()
                .inNamespace(ns.name())
                .withName(SETTINGS.secret())
                .get();
    }

    private static String decoded(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}
