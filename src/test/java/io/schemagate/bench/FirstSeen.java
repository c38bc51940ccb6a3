package io.schemagate.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The first instant (System.nanoTime) a watch showed each namespace's object in a given state:
 * benchmarks time what they observe from watch events, never by polling.
 */
final class FirstSeen {
    private final Predicate<HasMetadata> state;
    private final Map<String, Long> first = new ConcurrentHashMap<>();

    FirstSeen(Predicate<HasMetadata> state) {
        this.state = state;
    }

    /** The instant, or null when no object of the namespace was seen in the state yet. */
    Long at(String namespace) {
        return first.get(namespace);
    }

    private void observe(HasMetadata object, long now) {
        if (state.test(object)) {
            first.putIfAbsent(object.getMetadata().getNamespace(), now);
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
            public void onDelete(T object, boolean finalStateUnknown) {
            }
        };
    }
}
