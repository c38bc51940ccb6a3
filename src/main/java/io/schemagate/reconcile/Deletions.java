package io.schemagate.reconcile;

import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import io.quarkus.logging.Log;
import io.schemagate.api.DatabaseMigration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Tells of each deleted DatabaseMigration, without a finalizer: the operator SDK hands every event
 * of the resources to the event sources that ask for them, deletions included. The reconciler is
 * not called for a deletion, and a finalizer would keep a resource from going while no operator
 * runs; what a deletion leaves (held pods, per-resource state) is tidied here instead. On a thread
 * of its own, as the handling calls the API server and the informer's thread must go on.
 */
final class Deletions extends AbstractEventSource<DatabaseMigration, DatabaseMigration>
        implements ResourceEventAware<DatabaseMigration> {

    private final Consumer<DatabaseMigration> handler;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
        Thread named = new Thread(task, "schemagate-deletions");
        named.setDaemon(true);
        return named;
    });

    Deletions(Consumer<DatabaseMigration> handler) {
        super(DatabaseMigration.class, "deletions");
        this.handler = handler;
    }

    @Override
    public void onResourceDeleted(DatabaseMigration resource) {
        thread.execute(() -> {
            try {
                handler.accept(resource);
            } catch (RuntimeException e) {
                // Said, not thrown: the thread goes on with the next deletion.
                Log.warnf(
                        "%s/%s deleted; what it left could not all be tidied up: %s",
                        resource.getMetadata().getNamespace(),
                        resource.getMetadata().getName(),
                        e.getMessage());
            }
        });
    }

    /** It tells of deletions only; no resource has another one as a secondary. */
    @Override
    public Set<DatabaseMigration> getSecondaryResources(DatabaseMigration primary) {
        return Set.of();
    }

    @Override
    public void stop() {
        thread.shutdownNow();
        super.stop();
    }
}
