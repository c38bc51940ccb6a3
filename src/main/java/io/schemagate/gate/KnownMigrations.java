package io.schemagate.gate;

import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.schemagate.api.DatabaseMigration;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The DatabaseMigrations as the operator's informer holds them, for the admission webhook: it
 * answers from memory, never from the API server. Every replica runs the informers, leader or not,
 * so every replica can answer.
 */
@Singleton
public class KnownMigrations {
    /** Null until the reconciler attaches its informer's cache. */
    private volatile @Nullable ResourceCache<DatabaseMigration> cache;

    private volatile Set<String> namespaces = Set.of();

    /** Called by the reconciler once its informer exists. */
    public void attach(ResourceCache<DatabaseMigration> cache, Set<String> namespaces) {
        this.namespaces = Set.copyOf(namespaces);
        this.cache = cache;
    }

    /** Whether the informer exists yet; before that nothing can be decided. */
    public boolean isReady() {
        return cache != null;
    }

    public boolean watches(String namespace) {
        return InformerConfiguration.allNamespacesWatched(namespaces) || namespaces.contains(namespace);
    }

    public Optional<DatabaseMigration> find(String namespace, String name) {
        ResourceCache<DatabaseMigration> current = cache;
        if (current == null || name == null) {
            return Optional.empty();
        }
        return current.get(new ResourceID(name, namespace));
    }
}
