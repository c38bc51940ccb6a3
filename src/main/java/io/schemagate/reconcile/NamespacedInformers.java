package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.schemagate.api.DatabaseMigration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The informers of one kind whose cache is an item store of SchemaGate's own, one informer and one
 * store per watched namespace. The Java Operator SDK hands every namespace's informer the single
 * store a configuration names, and an informer that lists its namespace again drops from its store
 * whatever that listing lacks: the objects of every other namespace. With two watched namespaces or
 * more, referenced ConfigMaps, Secrets and runner pods vanished from the cache. Watching all
 * namespaces is one informer with one store.
 */
final class NamespacedInformers<T extends HasMetadata, S extends ItemStore<T>> {
    private static final String ALL = "";

    private final Map<String, InformerEventSource<T, DatabaseMigration>> sources = new HashMap<>();
    private final Map<String, S> stores = new HashMap<>();

    /**
     * @param name the event source's name, suffixed with the namespace where there is one per namespace
     * @param newStore a fresh store, one per informer
     * @param configuration the informer's configuration, without name, namespaces and store
     */
    NamespacedInformers(
            EventSourceContext<DatabaseMigration> context,
            String name,
            Supplier<S> newStore,
            Supplier<InformerEventSourceConfiguration.Builder<T>> configuration) {
        Set<String> watched =
                context.getControllerConfiguration().getInformerConfig().getNamespaces();
        boolean one = watched.size() <= 1
                || watched.contains(Constants.WATCH_ALL_NAMESPACES)
                || watched.contains(Constants.WATCH_CURRENT_NAMESPACE);
        for (String namespace : one ? Set.of(ALL) : watched) {
            S store = newStore.get();
            InformerEventSourceConfiguration.Builder<T> builder =
                    configuration.get().withItemStore(store).withName(one ? name : name + "-" + namespace);
            if (!one) {
                builder.withNamespaces(Set.of(namespace));
            }
            sources.put(namespace, new InformerEventSource<>(builder.build(), context));
            stores.put(namespace, store);
        }
    }

    /** The cached object, if the informer of its namespace has it. */
    Optional<T> get(ResourceID id) {
        return id.getNamespace().flatMap(namespace -> source(namespace).flatMap(source -> source.get(id)));
    }

    /** The cached objects of a namespace that pass the filter. */
    Stream<T> list(String namespace, Predicate<T> filter) {
        return source(namespace).stream().flatMap(source -> source.list(namespace, filter));
    }

    /** The store of a namespace's informer. */
    Optional<S> store(String namespace) {
        return Optional.ofNullable(stores.getOrDefault(namespace, stores.get(ALL)));
    }

    List<EventSource<?, DatabaseMigration>> eventSources() {
        return List.copyOf(sources.values());
    }

    private Optional<InformerEventSource<T, DatabaseMigration>> source(String namespace) {
        return Optional.ofNullable(sources.getOrDefault(namespace, sources.get(ALL)));
    }
}
