package io.schemagate.webhook.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM text of certificates and private keys. Keys are written as unencrypted PKCS#8, which every
 * TLS stack reads; they are read in PKCS#8, SEC 1 or PKCS#1, the encodings cert-manager and
 * OpenSSL write.
 */
final class Pem {
    private Pem() {}

    static String certificates(List<X509Certificate> certificates) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            for (X509Certificate certificate : certificates) {
                writer.writeObject(new PemObject("CERTIFICATE", certificate.getEncoded()));
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("cannot encode a certificate", e);
        }
        return text.toString();
    }

    static String privateKeys(List<PrivateKey> keys) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            for (PrivateKey key : keys) {
                // A JCA private key's encoding is its PKCS#8 PrivateKeyInfo.
                writer.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** Every certificate in the text, in order; other blocks are skipped. */
    static List<X509Certificate> readCertificates(String pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object block : blocks(pem)) {
            if (block instanceof X509CertificateHolder holder) {
                try {
                    certificates.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new IllegalArgumentException("unreadable certificate: " + e.getMessage(), e);
                }
            }
        }
        return certificates;
    }

    /** Every unencrypted private key in the text, in order; other blocks are skipped. */
    static List<PrivateKey> readPrivateKeys(String pem) {
        List<PrivateKey> keys = new ArrayList<>();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            for (Object block : blocks(pem)) {
                if (block instanceof PrivateKeyInfo info) {
                    keys.add(converter.getPrivateKey(info));
                } else if (block instanceof PEMKeyPair pair) {
                    keys.add(converter.getPrivateKey(pair.getPrivateKeyInfo()));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable private key: " + e.getMessage(), e);
        }
        return keys;
    }

    private static List<Object> blocks(String pem) {
        List<Object> blocks = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object block; (block = parser.readObject()) != null; ) {
                blocks.add(block);
            }
        } catch (IOException | RuntimeException e) {
            // BouncyCastle reports bad Base64 and bad DER with unchecked exceptions of its own.
            throw new IllegalArgumentException("malformed PEM: " + e.getMessage(), e);
        }
        return blocks;
    }
}
