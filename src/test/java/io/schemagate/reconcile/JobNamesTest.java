package io.schemagate.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobNamesTest {
    private static final String DIGEST = "0123456789abcdef0123456789abcdef";

    @Test
    void nameIsTheResourceTheShortDigestAndTheAttempt() {
        assertThat(JobNames.of("orders", DIGEST, 1)).isEqualTo("orders-0123456789-1");
        assertThat(JobNames.of("orders", DIGEST, 12)).isEqualTo("orders-0123456789-12");
    }

    @Test
    void longResourceNamesAreCutToFitALabelValueAndStayDistinctPerAttempt() {
        String name = "a-very-long-resource-name-that-goes-on-and-on-and-on-for-quite-a-while";

        String first = JobNames.of(name, DIGEST, 1);
        String second = JobNames.of(name, DIGEST, 2);

        assertThat(first).hasSizeLessThanOrEqualTo(63).endsWith("-0123456789-1").doesNotContain("--");
        assertThat(second).hasSizeLessThanOrEqualTo(63).isNotEqualTo(first);
    }
}
