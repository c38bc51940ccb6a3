package io.schemagate.webhook.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed CA that signs the webhook's serving certificates. Keys are ECDSA P-256: small,
 * fast to generate on every renewal, and accepted by the API server and by Vert.x.
 */
record CertificateAuthority(X509Certificate certificate, PrivateKey key) {
    static final Comparator<CertificateAuthority> BY_EXPIRY = Comparator.comparing(CertificateAuthority::notAfter);
    private static final String NAME_PREFIX = "schemagate-webhook-ca@";
    private static final String SIGNATURE = "SHA256withECDSA";
    /** Backdating, so that a client whose clock lags a little does not see a certificate from the future. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new CA valid from now for the given time; its name tells successive CAs apart. */
    static CertificateAuthority create(Instant now, Duration validity) {
        KeyPair keys = generateKeys();
        X500Principal name = new X500Principal("CN=" + NAME_PREFIX + now.getEpochSecond());
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            name,
                            serialNumber(),
                            Date.from(now.minus(CLOCK_SKEW)),
                            Date.from(now.plus(validity)),
                            name,
                            keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(
                            Extension.subjectKeyIdentifier,
                            false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create a CA certificate", e);
        }
    }

    /** A serving certificate for the names with a fresh key; it never outlives this CA. */
    KeyedCertificate issue(ServingNames names, Instant now, Duration validity) {
        KeyPair keys = generateKeys();
        Instant notAfter = now.plus(validity).isAfter(notAfter()) ? notAfter() : now.plus(validity);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            certificate,
                            serialNumber(),
                            Date.from(now.minus(CLOCK_SKEW)),
                            Date.from(notAfter),
                            new X500Principal("CN=" + names.commonName()),
                            keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(
                            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, alternativeNames(names))
                    .addExtension(
                            Extension.subjectKeyIdentifier,
                            false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(
                            Extension.authorityKeyIdentifier,
                            false,
                            extensions.createAuthorityKeyIdentifier(certificate));
            return new KeyedCertificate(sign(builder, key), keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a serving certificate", e);
        }
    }

    /** Whether this CA signed the certificate. */
    boolean issued(X509Certificate other) {
        if (!other.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
            return false;
        }
        try {
            other.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    private static GeneralNames alternativeNames(ServingNames names) {
        List<GeneralName> all = new ArrayList<>();
        names.dnsNames().forEach(name -> all.add(new GeneralName(GeneralName.dNSName, name)));
        names.ipAddresses().forEach(address -> all.add(new GeneralName(GeneralName.iPAddress, address)));
        return new GeneralNames(all.toArray(GeneralName[]::new));
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair generateKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the Java runtime lacks ECDSA P-256", e);
        }
    }

    /** Random and positive, as RFC 5280 asks of serial numbers, in at most 20 octets. */
    private static BigInteger serialNumber() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }
}
