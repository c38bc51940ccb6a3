package io.schemagate.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnAddFilter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StartupListingTest {
    private final OnAddFilter<ConfigMap> filter = StartupListing.createdSince(Instant.parse("2026-12-02T08:00:00Z"));

    @Test
    void anObjectOfTheStartsListingWakesNoResourceAgain() {
        assertThat(filter.accept(created("2026-11-30T12:00:00Z"))).isFalse();
        assertThat(filter.accept(created("2026-12-02T07:58:59Z"))).isFalse();
    }

    @Test
    void anObjectCreatedAroundTheStartOrAfterWakesItsResource() {
        assertThat(filter.accept(created("2026-12-02T07:59:30Z"))).isTrue();
        assertThat(filter.accept(created("2026-12-02T08:05:00Z"))).isTrue();
        assertThat(filter.accept(created(null))).isTrue();
    }

    private static ConfigMap created(String timestamp) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName("scripts")
                .withCreationTimestamp(timestamp)
                .endMetadata()
                .build();
    }
}
