package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.function.UnaryOperator;

/**
 * An informer cache that keeps of each object only what reconciles read, so that thousands of
 * objects (the pods of finished runs) cost little memory.
 */
final class TrimmingStore<T extends HasMetadata> extends ForwardingItemStore<T> {
    private final UnaryOperator<T> trim;

    /** @param trim a copy of the object with only what is read, its metadata always among it */
    TrimmingStore(UnaryOperator<T> trim) {
        this.trim = trim;
    }

    @Override
    public T put(String key, T object) {
        return super.put(key, trim.apply(object));
    }
}
