package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.HashMap;
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

    @Override
    public T put(String key, T object) {
        if (referenced.test(object)) {
            stripped.remove(key);
            return super.put(key, object);
        }
        stripped.add(key);
        return super.put(key, withoutPayload.apply(object));
    }

    @Override
    public T remove(String key) {
        stripped.remove(key);
        return super.remove(key);
    }
}
