package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * An informer cache of every ConfigMap or Secret of the watched namespaces, so that any change to
 * one a resource refers to wakes that resource at once, whatever its labels and whenever it was
 * created, without the operator ever writing to it. Only the objects some resource refers to when
 * they arrive keep their payload; of the others only the metadata is kept, so the cache holds no
 * secret and no script that no resource uses. {@link #isStripped} tells a reader to fetch the object.
 */
final class ReferencedPayloadStore<T extends HasMetadata> extends ForwardingItemStore<T> {
    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private final Set<String> stripped = ConcurrentHashMap.newKeySet();
    private final Predicate<T> referenced;
    private final UnaryOperator<T> withoutPayload;

    /**
     * @param referenced whether a resource refers to the object
     * @param withoutPayload a copy of the object without its data, or whatever may be large or secret
     */
    ReferencedPayloadStore(Predicate<T> referenced, UnaryOperator<T> withoutPayload) {
        this.referenced = referenced;
        this.withoutPayload = withoutPayload;
    }

    /**
     * The object's metadata without what only clients that write it need: the managed fields, and
     * kubectl's last applied configuration, which is a copy of the whole object, payload included.
     */
    static ObjectMeta leanMetadata(HasMetadata object) {
        ObjectMetaBuilder lean = new ObjectMetaBuilder(object.getMetadata()).withManagedFields();
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(LAST_APPLIED)) {
            Map<String, String> kept = new HashMap<>(annotations);
            kept.remove(LAST_APPLIED);
            lean.withAnnotations(kept);
        }
        return lean.build();
    }

    /** Whether the object under this key is kept without its payload. */
    boolean isStripped(String key) {
        return stripped.contains(key);
    }

    /**
     * Of the objects of a namespace with a name that matches, those no resource refers to any more,
     * as when the one that did was deleted: their payloads are dropped, which would otherwise stay
     * in memory until the object next changes.
     *
     * @return the keys of the objects no resource refers to
     */
    synchronized List<String> releaseUnreferenced(String namespace, Predicate<String> named) {
        String prefix = namespace + "/";
        List<String> keys = keySet().filter(key -> key.startsWith(prefix) && named.test(key.substring(prefix.length())))
                .toList();
        List<String> released = new ArrayList<>();
        for (String key : keys) {
            T object = super.get(key);
            if (object == null || referenced.test(object)) {
                continue;
            }
            if (!stripped.contains(key)) {
                strip(key, object);
            }
            released.add(key);
        }
        return released;
    }

    // Synchronized with the release above, so that it never puts back an older copy over a newer one.
    @Override
    public synchronized T put(String key, T object) {
        if (referenced.test(object)) {
            stripped.remove(key);
            return super.put(key, object);
        }
        return strip(key, object);
    }

    /** Keeps the object without its payload, and says so. */
    private T strip(String key, T object) {
        stripped.add(key);
        return super.put(key, withoutPayload.apply(object));
    }

    @Override
    public synchronized T remove(String key) {
        stripped.remove(key);
        return super.remove(key);
    }
}
