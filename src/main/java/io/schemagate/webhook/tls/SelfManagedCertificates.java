package io.schemagate.webhook.tls;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.logging.Log;
import java.net.HttpURLConnection;
import java.time.Clock;

/**
 * Keeps the CA and the serving certificate in a Secret and renews them there. Replicas starting or
 * renewing at once agree through the API server: a create or update that loses the race fails with
 * a conflict, and the loser re-reads and adopts what the winner wrote, which satisfies the policy.
 */
final class SelfManagedCertificates implements CertificateSource {
    /** Each conflict means another replica wrote in between; more than a few means something is wrong. */
    private static final int ATTEMPTS = 5;

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final RenewalPolicy policy;
    private final Clock clock;

    SelfManagedCertificates(KubernetesClient client, String namespace, String name, RenewalPolicy policy, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public ServingCertificate refresh() {
        for (int attempt = 1; ; attempt++) {
            Secret existing =
                    client.secrets().inNamespace(namespace).withName(name).get();
            StoredCertificates stored = existing == null ? StoredCertificates.NONE : CertificateSecret.read(existing);
            Renewal renewal = policy.apply(stored, clock.instant());
            if (!renewal.changed()) {
                return stored.toServing();
            }
            Secret desired = CertificateSecret.write(renewal.certificates(), existing, namespace, name);
            try {
                if (existing == null) {
                    client.secrets().inNamespace(namespace).resource(desired).create();
                } else {
                    // Carries the resourceVersion read above: the update fails if anyone wrote since.
                    client.secrets().inNamespace(namespace).resource(desired).update();
                }
                String what = existing == null ? "created" : "renewed: " + String.join("; ", renewal.reasons());
                Log.infof(
                        "Secret %s/%s: webhook certificates %s; serving certificate valid until %s",
                        namespace, name, what, renewal.certificates().serving().notAfter());
                return renewal.certificates().toServing();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == ATTEMPTS) {
                    throw e;
                }
                Log.debugf("Secret %s/%s: another replica wrote it first; reading its certificates", namespace, name);
            }
        }
    }

    @Override
    public String toString() {
        return "Secret " + namespace + "/" + name;
    }
}
