package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.schemagate.api.CredentialsSecret;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseSpec;
import io.schemagate.api.SecretKeyReference;
import io.schemagate.db.ConnectionUrl;
import io.schemagate.db.DatabaseConnection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Resolves where the database is and the credentials for it, from the resource's Secret references. */
final class DatabaseAccess {
    private final WatchedObjects<Secret> secrets;

    DatabaseAccess(WatchedObjects<Secret> secrets) {
        this.secrets = secrets;
    }

    DatabaseConnection resolve(DatabaseMigration resource) throws Unresolvable {
        DatabaseSpec database = resource.getSpec().getDatabase();
        Map<String, Secret> read = new HashMap<>();
        SecretKeyReference urlRef =
                database.getUrlFrom() == null ? null : database.getUrlFrom().getSecretKeyRef();
        String raw = urlRef == null ? database.getUrl() : value(resource, read, urlRef.getName(), urlRef.getKey());
        if (raw == null) {
            throw Unresolvable.stalled(Reasons.INVALID_SPEC, "no database URL; write it as " + ConnectionUrl.FORMS);
        }
        ConnectionUrl url;
        try {
            url = ConnectionUrl.parse(raw);
        } catch (ConnectionUrl.InvalidUrl invalid) {
            String where =
                    urlRef == null ? "spec.database.url" : "key " + urlRef.getKey() + " of Secret " + urlRef.getName();
            throw Unresolvable.stalled(Reasons.INVALID_DATABASE_URL, where + ": " + invalid.getMessage());
        }
        CredentialsSecret credentials = database.getCredentialsSecret();
        if (credentials == null) {
            // A URL from a Secret that carries its own user and password (in any form ConnectionUrl reads).
            return url.connection(null, null);
        }
        return url.connection(
                value(resource, read, credentials.getName(), credentials.getUsernameKey()),
                value(resource, read, credentials.getName(), credentials.getPasswordKey()));
    }

    /** @param read the Secrets this resolution already read, so that each is read once */
    private String value(DatabaseMigration resource, Map<String, Secret> read, String name, String key)
            throws Unresolvable {
        String namespace = resource.getMetadata().getNamespace();
        Secret secret = read.computeIfAbsent(name, absent -> secrets.get(namespace, absent));
        if (secret == null) {
            throw Unresolvable.retryable(
                    Reasons.SECRET_NOT_FOUND, "Secret " + name + " not found in namespace " + namespace);
        }
        if (secret.getData() != null && secret.getData().containsKey(key)) {
            return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
        }
        if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
            return secret.getStringData().get(key);
        }
        throw Unresolvable.retryable(
                Reasons.SECRET_NOT_FOUND, "Secret " + name + " in namespace " + namespace + " has no key " + key);
    }
}
