package io.schemagate.webhook.tls;

import static io.schemagate.webhook.tls.CertificateAuthorityTest.parse;
import static io.schemagate.webhook.tls.CertificateAuthorityTest.validatePath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertPathValidatorException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenewalPolicyTest {
    private final Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final ServingNames NAMES = ServingNames.of("schemagate-webhook", "operators");
    private static final RenewalPolicy POLICY = new RenewalPolicy(NAMES, CA_VALIDITY, VALIDITY, RENEW_BEFORE);

    @Test
    void nothingStoredGetsACaAndAServingCertificateItSigned() {
        Renewal renewal = POLICY.apply(StoredCertificates.NONE, start);

        assertThat(renewal.changed()).isTrue();
        assertThat(renewal.certificates().authorities())
                .singleElement()
                .satisfies(ca -> assertThat(
                                ca.issued(renewal.certificates().serving().certificate()))
                        .isTrue());
        assertThat(NAMES.matches(renewal.certificates().serving().certificate()))
                .isTrue();
    }

    @Test
    void certificatesFarFromExpiryAreKept() {
        StoredCertificates stored = POLICY.apply(StoredCertificates.NONE, start).certificates();

        Renewal renewal =
                POLICY.apply(stored, start.plus(VALIDITY).minus(RENEW_BEFORE).minusSeconds(60));

        assertThat(renewal.changed()).isFalse();
        assertThat(renewal.certificates()).isEqualTo(stored);
    }

    @Test
    void servingCertificateWithinTheRenewalWindowIsReissuedByTheSameCa() {
        StoredCertificates stored = POLICY.apply(StoredCertificates.NONE, start).certificates();
        Instant later = start.plus(VALIDITY).minus(RENEW_BEFORE).plusSeconds(60);

        Renewal renewal = POLICY.apply(stored, later);

        assertThat(renewal.reasons()).singleElement().asString().contains("expires");
        assertThat(renewal.certificates().authorities()).isEqualTo(stored.authorities());
        assertThat(renewal.certificates().serving().notAfter()).isEqualTo(later.plus(VALIDITY));
        assertThat(stored.authorities()
                        .get(0)
                        .issued(renewal.certificates().serving().certificate()))
                .isTrue();
    }

    @Test
    void servingCertificateForOtherNamesIsReissued() {
        StoredCertificates stored = POLICY.apply(StoredCertificates.NONE, start).certificates();
        ServingNames moved = ServingNames.of("schemagate-webhook", "elsewhere");

        Renewal renewal = new RenewalPolicy(moved, CA_VALIDITY, VALIDITY, RENEW_BEFORE).apply(stored, start);

        assertThat(renewal.reasons()).singleElement().asString().contains("not valid for exactly");
        assertThat(moved.matches(renewal.certificates().serving().certificate()))
                .isTrue();
        assertThat(renewal.certificates().authorities()).isEqualTo(stored.authorities());
    }

    @Test
    void servingCertificateOfAnUntrustedCaIsReissued() {
        StoredCertificates stored = POLICY.apply(StoredCertificates.NONE, start).certificates();
        CertificateAuthority stranger = CertificateAuthority.create(start, CA_VALIDITY);
        StoredCertificates mixed = new StoredCertificates(List.of(stranger), stored.serving());

        Renewal renewal = POLICY.apply(mixed, start);

        assertThat(renewal.reasons()).singleElement().asString().contains("no longer trusted");
        assertThat(stranger.issued(renewal.certificates().serving().certificate()))
                .isTrue();
    }

    @Test
    void aSuccessorCaJoinsTheBundleWhileTheOldOneKeepsSigning() throws Exception {
        StoredCertificates stored = POLICY.apply(StoredCertificates.NONE, start).certificates();
        CertificateAuthority old = stored.authorities().get(0);
        Instant rotation = rotationTime(old);

        Renewal renewal = POLICY.apply(stored, rotation);

        List<CertificateAuthority> bundle = renewal.certificates().authorities();
        assertThat(bundle).hasSize(2).first().isEqualTo(old);
        assertThat(renewal.reasons()).anySatisfy(reason -> assertThat(reason).contains("successor"));
        X509Certificate serving = renewal.certificates().serving().certificate();
        assertThat(old.issued(serving)).isTrue();
        // A client that still trusts only the old bundle accepts the certificate served now.
        validatePath(rotation, serving, List.of(old.certificate()));
        assertThat(parse(renewal.certificates().toServing().caBundlePem()))
                .containsExactly(old.certificate(), bundle.get(1).certificate());
        assertThat(POLICY.apply(renewal.certificates(), rotation).changed()).isFalse();
    }

    @Test
    void theSuccessorSignsOnceTheOldCaNoLongerOutlivesANewCertificate() throws Exception {
        StoredCertificates stored = POLICY.apply(StoredCertificates.NONE, start).certificates();
        CertificateAuthority old = stored.authorities().get(0);
        StoredCertificates rotated = POLICY.apply(stored, rotationTime(old)).certificates();
        CertificateAuthority successor = rotated.authorities().get(1);
        Instant switchover = old.notAfter().minus(VALIDITY);
        Instant firstRenewal = rotated.serving().notAfter().minus(RENEW_BEFORE).plusSeconds(60);

        StoredCertificates first = POLICY.apply(rotated, firstRenewal).certificates();
        Instant secondRenewal = first.serving().notAfter().minus(RENEW_BEFORE).plusSeconds(60);
        StoredCertificates second = POLICY.apply(first, secondRenewal).certificates();

        assertThat(firstRenewal).isBefore(switchover);
        assertThat(old.issued(first.serving().certificate())).isTrue();
        assertThat(secondRenewal).isAfter(switchover);
        assertThat(successor.issued(second.serving().certificate())).isTrue();
        assertThat(second.authorities()).containsExactly(old, successor);
        validatePath(secondRenewal, second.serving().certificate(), List.of(successor.certificate()));
        assertThatThrownBy(
                        () -> validatePath(secondRenewal, second.serving().certificate(), List.of(old.certificate())))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void anExpiredCaLeavesTheBundle() {
        StoredCertificates stored = POLICY.apply(StoredCertificates.NONE, start).certificates();
        CertificateAuthority old = stored.authorities().get(0);
        StoredCertificates rotated = POLICY.apply(stored, rotationTime(old)).certificates();
        CertificateAuthority successor = rotated.authorities().get(1);

        Renewal renewal = POLICY.apply(rotated, old.notAfter().plusSeconds(1));

        assertThat(renewal.certificates().authorities()).containsExactly(successor);
        assertThat(renewal.reasons()).anySatisfy(reason -> assertThat(reason).contains("expired"));
        assertThat(successor.issued(renewal.certificates().serving().certificate()))
                .isTrue();
    }

    @Test
    void durationsThatWouldRenewForeverAreRefused() {
        assertThatThrownBy(() -> new RenewalPolicy(NAMES, Duration.ofDays(700), VALIDITY, RENEW_BEFORE))
                .hasMessageContaining("schemagate.webhook.ca-validity");
        assertThatThrownBy(() -> new RenewalPolicy(NAMES, CA_VALIDITY, VALIDITY, VALIDITY))
                .hasMessageContaining("schemagate.webhook.renew-before");
    }

    /** Just after the CA is left with two serving lifetimes, when its successor is due. */
    private static Instant rotationTime(CertificateAuthority authority) {
        return authority.notAfter().minus(VALIDITY.multipliedBy(2)).plusSeconds(60);
    }
}
