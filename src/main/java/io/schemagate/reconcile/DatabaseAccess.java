package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.api.CredentialsSecret;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseSpec;
import io.schemagate.api.SecretKeyReference;
import io.schemagate.db.DatabaseConnection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Resolves where the database is and the credentials for it, from the resource's Secret references. */
final class DatabaseAccess {
    private final KubernetesClient client;

    DatabaseAccess(KubernetesClient client) {
        this.client = client;
    }

    DatabaseConnection resolve(DatabaseMigration resource) throws Unresolvable {
        DatabaseSpec database = resource.getSpec().getDatabase();
        Map<String, Secret> secrets = new HashMap<>();
        SecretKeyReference urlRef = database.getUrlFrom() == null ? null : database.getUrlFrom().getSecretKeyRef();
        String url = urlRef == null ? database.getUrl() : value(resource, secrets, urlRef.getName(), urlRef.getKey());
        if (url == null || !url.startsWith("jdbc:postgresql://")) {
            throw Unresolvable.stalled(Reasons.INVALID_SPEC, "the database URL must start with jdbc:postgresql://");
        }
        CredentialsSecret credentials = database.getCredentialsSecret();
        return new DatabaseConnection(url,
                value(resource, secrets, credentials.getName(), credentials.getUsernameKey()),
                value(resource, secrets, credentials.getName(), credentials.getPasswordKey()));
    }

    private String value(DatabaseMigration resource, Map<String, Secret> secrets, String name, String key)
            throws Unresolvable {
        String namespace = resource.getMetadata().getNamespace();
        Secret secret = secrets.get(name);
        if (secret == null) {
            secret = client.secrets().inNamespace(namespace).withName(name).get();
            if (secret == null) {
                throw Unresolvable.retryable(Reasons.SECRET_NOT_FOUND,
                        "Secret " + name + " not found in namespace " + namespace);
            }
            WatchLabels.ensure(client, secret);
            secrets.put(name, secret);
        }
        if (secret.getData() != null && secret.getData().containsKey(key)) {
            return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
        }
        if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
            return secret.getStringData().get(key);
        }
        throw Unresolvable.retryable(Reasons.SECRET_NOT_FOUND,
                "Secret " + name + " in namespace " + namespace + " has no key " + key);
    }
}
