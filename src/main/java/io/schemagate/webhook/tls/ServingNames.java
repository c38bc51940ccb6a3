package io.schemagate.webhook.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The names a serving certificate is valid for: every name the webhook's Service is reached by in
 * the cluster, plus the loopback names of a webhook that the API server calls by URL on the same
 * host (the local test bed does).
 */
record ServingNames(List<String> dnsNames, List<String> ipAddresses) {
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    ServingNames {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
    }

    static ServingNames of(String service, String namespace) {
        return new ServingNames(
                List.of(
                        service + "." + namespace + ".svc",
                        service,
                        service + "." + namespace,
                        service + "." + namespace + ".svc.cluster.local",
                        "localhost"),
                List.of("127.0.0.1"));
    }

    /** The name a certificate carries as its subject; clients check the alternative names only. */
    String commonName() {
        return dnsNames.get(0);
    }

    /** Whether the certificate is valid for exactly these names, no more and no fewer. */
    boolean matches(X509Certificate certificate) {
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (List<?> name : alternativeNames(certificate)) {
            int type = (Integer) name.get(0);
            if (type == DNS_NAME) {
                dns.add((String) name.get(1));
            } else if (type == IP_ADDRESS) {
                ips.add((String) name.get(1));
            }
        }
        return Set.copyOf(dns).equals(Set.copyOf(dnsNames)) && Set.copyOf(ips).equals(Set.copyOf(ipAddresses));
    }

    @Override
    public String toString() {
        List<String> all = new ArrayList<>(dnsNames);
        all.addAll(ipAddresses);
        return String.join(", ", all);
    }

    private static Collection<List<?>> alternativeNames(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            return names == null ? List.of() : names;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }
}
