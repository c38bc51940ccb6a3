package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.schemagate.api.DatabaseMigration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

/**
 * The ConfigMaps, Secrets or Deployments resources refer to, read from the informer's cache. An
 * object cached without its payload (no resource referred to it when it last changed) is read once
 * from the API server and kept until its resource version moves. Only reads: SchemaGate never
 * writes to these objects of its users.
 */
final class WatchedObjects<T extends HasMetadata> {
    private final Class<T> type;
    private final KubernetesClient client;
    private final NamespacedInformers<T, ReferencedPayloadStore<T>> informers;
    private final BiPredicate<DatabaseMigration, String> refersTo;
    /** Objects read from the API server because the informer keeps them without payload. */
    private final Map<String, T> fetched = new ConcurrentHashMap<>();

    /** @param refersTo whether a resource refers to the object of this name in its namespace */
    WatchedObjects(
            Class<T> type,
            KubernetesClient client,
            NamespacedInformers<T, ReferencedPayloadStore<T>> informers,
            BiPredicate<DatabaseMigration, String> refersTo) {
        this.type = type;
        this.client = client;
        this.informers = informers;
        this.refersTo = refersTo;
    }

    /**
     * Drops what is kept of the objects a deleted resource referred to and no other resource does:
     * their payloads in the informer's cache and the copies read from the API server, Secret data
     * among them.
     */
    void release(DatabaseMigration deleted) {
        String namespace = deleted.getMetadata().getNamespace();
        informers
                .store(namespace)
                .map(store -> store.releaseUnreferenced(namespace, name -> refersTo.test(deleted, name)))
                .ifPresent(released -> released.forEach(fetched::remove));
    }

    /** The object, or null when it does not exist. */
    T get(String namespace, String name) {
        String key = Cache.namespaceKeyFunc(namespace, name);
        Optional<T> cached = informers.get(new ResourceID(name, namespace));
        if (cached.isEmpty()
                || !informers
                        .store(namespace)
                        .map(store -> store.isStripped(key))
                        .orElse(false)) {
            fetched.remove(key);
            return cached.orElse(null);
        }
        String version = cached.get().getMetadata().getResourceVersion();
        T known = fetched.get(key);
        if (known != null && Objects.equals(known.getMetadata().getResourceVersion(), version)) {
            return known;
        }
        T object = client.resources(type).inNamespace(namespace).withName(name).get();
        if (object != null) {
            fetched.put(key, object);
        }
        return object;
    }
}
