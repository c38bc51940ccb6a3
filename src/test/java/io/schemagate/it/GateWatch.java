package io.schemagate.it;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.schemagate.gate.PodGate;
import io.schemagate.testbed.TestNamespace;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches a namespace's pods and remembers which were created held: a released pod looks like one
 * never held, so only the moment of creation tells them apart.
 */
final class GateWatch implements AutoCloseable {
    private final Set<String> createdHeld = ConcurrentHashMap.newKeySet();
    private final Map<String, String> images = new ConcurrentHashMap<>();
    private final Watch watch;

    GateWatch(TestNamespace namespace) {
        watch = namespace.client().pods().inNamespace(namespace.name()).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action == Action.ADDED) {
                    images.put(
                            pod.getMetadata().getName(),
                            pod.getSpec().getContainers().get(0).getImage());
                    if (PodGate.isHeld(pod)) {
                        createdHeld.add(pod.getMetadata().getName());
                    }
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
    }

    boolean wasCreatedHeld(String pod) {
        return createdHeld.contains(pod);
    }

    /** Pods created with this image, as the watch saw them. */
    Set<String> createdWith(String image) {
        Set<String> pods = ConcurrentHashMap.newKeySet();
        images.forEach((pod, podImage) -> {
            if (podImage.equals(image)) {
                pods.add(pod);
            }
        });
        return pods;
    }

    @Override
    public void close() {
        watch.close();
    }
}
