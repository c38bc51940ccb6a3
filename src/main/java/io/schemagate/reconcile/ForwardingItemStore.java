package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.stream.Stream;

/**
 * An informer cache that keeps objects as the informer's own store does; subclasses change what is
 * put into it.
 */
abstract class ForwardingItemStore<T extends HasMetadata> implements ItemStore<T> {
    private final ItemStore<T> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

    @Override
    public T put(String key, T object) {
        return store.put(key, object);
    }

    @Override
    public T remove(String key) {
        return store.remove(key);
    }

    @Override
    public String getKey(T object) {
        return store.getKey(object);
    }

    @Override
    public Stream<String> keySet() {
        return store.keySet();
    }

    @Override
    public Stream<T> values() {
        return store.values();
    }

    @Override
    public int size() {
        return store.size();
    }

    @Override
    public T get(String key) {
        return store.get(key);
    }
}
