package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnAddFilter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Tells the objects an informer lists when the operator starts from those created afterwards. Every
 * resource is reconciled once the informers have listed what it refers to, so the listing's own
 * add events would only reconcile it again: with thousands of resources, a second start's worth of
 * work for nothing. An object created after the start still wakes its resource at once.
 */
final class StartupListing {
    /** Room for the clocks of the operator and the API server to disagree. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private StartupListing() {}

    /** Passes the add events of objects created since a little before the start, and of any it cannot date. */
    static <T extends HasMetadata> OnAddFilter<T> createdSince(Instant start) {
        Instant since = start.minus(CLOCK_SKEW);
        return object -> {
            String created = object.getMetadata().getCreationTimestamp();
            try {
                return created == null || !Instant.parse(created).isBefore(since);
            } catch (DateTimeParseException unreadable) {
                return true;
            }
        };
    }
}
