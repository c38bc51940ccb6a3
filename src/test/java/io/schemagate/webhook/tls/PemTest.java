package io.schemagate.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;

class PemTest {
    private final Instant now = Instant.now();

    @Test
    void certificatesAreReadBackInOrder() {
        CertificateAuthority first = CertificateAuthority.create(now, Duration.ofDays(30));
        CertificateAuthority second = CertificateAuthority.create(now, Duration.ofDays(60));

        String pem = Pem.certificates(List.of(first.certificate(), second.certificate()));

        assertThat(Pem.readCertificates(pem)).containsExactly(first.certificate(), second.certificate());
    }

    @Test
    void keysInEveryEncodingCertManagerAndOpenSslWriteAreRead() throws Exception {
        CertificateAuthority authority = CertificateAuthority.create(now, Duration.ofDays(30));
        PrivateKey ec = authority.key();
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rsaKeys = rsa.generateKeyPair();

        String sec1 = sec1Pem(ec);
        String pkcs1 = pkcs1Pem(rsaKeys.getPrivate());

        assertThat(sec1).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Pem.readPrivateKeys(sec1))
                .singleElement()
                .satisfies(key -> assertThat(new KeyedCertificate(authority.certificate(), key).keyMatches())
                        .isTrue());
        assertThat(Pem.readPrivateKeys(pkcs1))
                .singleElement()
                .satisfies(key -> assertThat(key.getEncoded())
                        .isEqualTo(rsaKeys.getPrivate().getEncoded()));
        assertThat(Pem.readPrivateKeys(Pem.privateKeys(List.of(ec, rsaKeys.getPrivate()))))
                .extracting(PrivateKey::getAlgorithm)
                .containsExactly("EC", "RSA");
    }

    @Test
    void blocksOfOtherKindsAreSkipped() {
        CertificateAuthority authority = CertificateAuthority.create(now, Duration.ofDays(30));
        String both = Pem.certificates(List.of(authority.certificate())) + Pem.privateKeys(List.of(authority.key()));

        assertThat(Pem.readCertificates(both)).containsExactly(authority.certificate());
        assertThat(Pem.readPrivateKeys(both)).containsExactly(authority.key());
        assertThat(Pem.readCertificates("")).isEmpty();
    }

    @Test
    void malformedTextIsRefused() {
        String broken = "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n";

        assertThatThrownBy(() -> Pem.readCertificates(broken)).isInstanceOf(IllegalArgumentException.class);
    }

    /** An EC key as cert-manager and OpenSSL write it: SEC 1, naming its curve. */
    private static String sec1Pem(PrivateKey key) throws Exception {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        BigInteger secret = ECPrivateKey.getInstance(info.parsePrivateKey()).getKey();
        ECPrivateKey sec1 =
                new ECPrivateKey(256, secret, info.getPrivateKeyAlgorithm().getParameters());
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        }
        return text.toString();
    }

    /** An RSA key as cert-manager and OpenSSL write it: PKCS#1. */
    private static String pkcs1Pem(PrivateKey key) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(key);
        }
        return text.toString();
    }
}
