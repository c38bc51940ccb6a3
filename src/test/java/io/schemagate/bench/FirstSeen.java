package io.schemagate.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The first instant (System.nanoTime) a watch showed each namespace's object in a given state:
 * benchmarks time what they observe from watch events, never by polling.
 */
final class FirstSeen {
    private final Predicate<HasMetadata> state;
    private final Function<HasMetadata, String> key;
    private final Map<String, Long> first = new ConcurrentHashMap<>();

    /** Keyed by namespace: one object of interest per namespace. */
    FirstSeen(Predicate<HasMetadata> state) {
        this(state, object -> object.getMetadata().getNamespace());
    }

    private FirstSeen(Predicate<HasMetadata> state, Function<HasMetadata, String> key) {
        this.state = state;
        this.key = key;
    }

    /** Keyed by {@link #keyOf}: for namespaces that hold several objects of interest. */
    static FirstSeen perObject(Predicate<HasMetadata> state) {
        return new FirstSeen(state, FirstSeen::keyOf);
    }

    /** The key of an object for {@link #perObject}: namespace/name. */
    static String keyOf(HasMetadata object) {
        return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    }

    /** The instant, or null when no object of the namespace (or with the key) was seen in the state yet. */
    Long at(String key) {
        return first.get(key);
    }

    /** Every instant seen so far, by key. */
    Map<String, Long> all() {
        return Map.copyOf(first);
    }

    private void observe(HasMetadata object, long now) {
        if (state.test(object)) {
            first.putIfAbsent(key.apply(object), now);
        }
    }

    /** An informer's handler that feeds every added or updated object to each of these. */
    static <T extends HasMetadata> ResourceEventHandler<T> handler(FirstSeen... seen) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                long now = System.nanoTime();
                for (FirstSeen each : seen) {
                    each.observe(object, now);
                }
            }

            @Override
            public void onUpdate(T before, T object) {
                onAdd(object);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {}
        };
    }
}
