package io.schemagate.webhook.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The serving certificate from files that another tool writes and renews, typically cert-manager
 * through a mounted Secret, so named like its keys: tls.crt (the chain), tls.key and, optionally,
 * ca.crt. Read afresh on every refresh; the key is handed on as PKCS#8 whatever encoding the file
 * uses.
 */
final class CertificateFiles implements CertificateSource {
    private final Path directory;

    CertificateFiles(Path directory) {
        this.directory = directory;
    }

    @Override
    public ServingCertificate refresh() {
        List<X509Certificate> chain = Pem.readCertificates(read(CertificateSecret.CERTIFICATE));
        List<PrivateKey> keys = Pem.readPrivateKeys(read(CertificateSecret.KEY));
        if (chain.isEmpty() || keys.isEmpty()) {
            throw new IllegalStateException(this + ": tls.crt or tls.key holds no certificate or key");
        }
        KeyedCertificate serving = new KeyedCertificate(chain.get(0), keys.get(0));
        if (!serving.keyMatches()) {
            // Kubelet swaps a mounted Secret's files at once, but two reads can straddle the swap.
            throw new IllegalStateException(this + ": tls.key is not the key of tls.crt");
        }
        String bundle = Files.exists(directory.resolve(CertificateSecret.CA_CERTIFICATES))
                ? Pem.certificates(Pem.readCertificates(read(CertificateSecret.CA_CERTIFICATES)))
                : "";
        return new ServingCertificate(
                Pem.certificates(chain), Pem.privateKeys(List.of(serving.key())), bundle, serving.notAfter());
    }

    @Override
    public String toString() {
        return "certificate files in " + directory;
    }

    private String read(String file) {
        try {
            return Files.readString(directory.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(this + ": cannot read " + file, e);
        }
    }
}
