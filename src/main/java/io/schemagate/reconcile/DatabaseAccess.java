package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.schemagate.api.CredentialsSecret;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseSpec;
import io.schemagate.api.SecretKeyReference;
import io.schemagate.db.DatabaseConnection;
import io.schemagate.db.JdbcUrls;
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
        String url = urlRef == null ? database.getUrl() : value(resource, read, urlRef.getName(), urlRef.getKey());
        if (url == null || !JdbcUrls.isPostgres(url)) {
            throw Unresolvable.stalled(Reasons.INVALID_SPEC, "the database URL must be " + JdbcUrls.REQUIREMENT);
        }
        CredentialsSecret credentials = database.getCredentialsSecret();
        if (credentials == null) {
            // A URL from a Secret that carries its own user and password: the driver reads them from it.
            return new DatabaseConnection(url, null, null);
        }
        return new DatabaseConnection(
                url,
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
