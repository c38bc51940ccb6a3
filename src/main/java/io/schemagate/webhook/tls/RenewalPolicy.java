package io.schemagate.webhook.tls;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides what the self-managed Secret should hold, from what it holds and the time alone, so that
 * replicas reading the same Secret decide the same.
 *
 * <p>CA rotation never breaks a client that still trusts the old bundle: a successor CA joins the
 * bundle while the current CA has two serving lifetimes left, and the oldest CA that outlives a new
 * serving certificate signs it. So the successor waits in the bundle for a whole serving lifetime
 * before any certificate depends on it, and the old CA leaves the bundle only when it expires,
 * after every certificate it signed.
 */
record RenewalPolicy(ServingNames names, Duration caValidity, Duration certificateValidity, Duration renewBefore) {

    RenewalPolicy {
        if (renewBefore.isNegative() || renewBefore.compareTo(certificateValidity) >= 0) {
            throw new IllegalArgumentException("schemagate.webhook.renew-before (" + renewBefore
                    + ") must be shorter than schemagate.webhook.certificate-validity (" + certificateValidity + ")");
        }
        if (caValidity.compareTo(certificateValidity.multipliedBy(2)) <= 0) {
            throw new IllegalArgumentException("schemagate.webhook.ca-validity (" + caValidity
                    + ") must exceed twice schemagate.webhook.certificate-validity (" + certificateValidity + ")");
        }
    }

    Renewal apply(StoredCertificates stored, Instant now) {
        List<String> reasons = new ArrayList<>();
        List<CertificateAuthority> trusted = new ArrayList<>();
        for (CertificateAuthority authority : stored.authorities()) {
            if (authority.notAfter().isAfter(now)) {
                trusted.add(authority);
            } else {
                reasons.add("CA " + nameOf(authority) + " expired at " + authority.notAfter());
            }
        }
        if (trusted.isEmpty()) {
            reasons.add("there is no usable CA");
            trusted.add(CertificateAuthority.create(now, caValidity));
        } else if (newest(trusted).notAfter().isBefore(now.plus(certificateValidity.multipliedBy(2)))) {
            reasons.add("CA " + nameOf(newest(trusted)) + " expires at "
                    + newest(trusted).notAfter() + ", a successor joins the bundle");
            trusted.add(CertificateAuthority.create(now, caValidity));
        }
        trusted.sort(CertificateAuthority.BY_EXPIRY);
        KeyedCertificate serving = stored.serving();
        Optional<String> reissue = reasonToReissue(serving, trusted, now);
        if (reissue.isPresent()) {
            reasons.add(reissue.get());
            serving = signer(trusted, now).issue(names, now, certificateValidity);
        }
        return new Renewal(new StoredCertificates(trusted, serving), reasons);
    }

    private Optional<String> reasonToReissue(
            KeyedCertificate serving, List<CertificateAuthority> trusted, Instant now) {
        if (serving == null) {
            return Optional.of("there is no usable serving certificate");
        }
        if (!names.matches(serving.certificate())) {
            return Optional.of("the serving certificate is not valid for exactly " + names);
        }
        if (trusted.stream().noneMatch(authority -> authority.issued(serving.certificate()))) {
            return Optional.of("the serving certificate's CA is no longer trusted");
        }
        if (serving.notAfter().isBefore(now.plus(renewBefore))) {
            return Optional.of("the serving certificate expires at " + serving.notAfter());
        }
        return Optional.empty();
    }

    /** The oldest CA that outlives a new serving certificate; the newest when none does. */
    private CertificateAuthority signer(List<CertificateAuthority> byExpiry, Instant now) {
        Instant needed = now.plus(certificateValidity);
        return byExpiry.stream()
                .filter(authority -> !authority.notAfter().isBefore(needed))
                .findFirst()
                .orElse(newest(byExpiry));
    }

    private static CertificateAuthority newest(List<CertificateAuthority> byExpiry) {
        return byExpiry.get(byExpiry.size() - 1);
    }

    private static String nameOf(CertificateAuthority authority) {
        return authority.certificate().getSubjectX500Principal().getName();
    }
}
