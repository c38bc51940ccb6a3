package io.schemagate.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

class ReconcileErrorsTest {

    @Test
    void namesTheErrorAndItsRootCauseOnOneLine() {
        Exception error =
                new IllegalStateException("cannot plan\nthe run", new IllegalArgumentException("bad\tversion 'x'"));

        assertThat(ReconcileErrors.describe(error))
                .isEqualTo(
                        "IllegalStateException: cannot plan the run (caused by IllegalArgumentException: bad version 'x')");
    }

    @Test
    void anApiServerRefusalIsToldInTheServersWords() {
        Exception error = new KubernetesClientException(new StatusBuilder()
                .withCode(403)
                .withMessage("jobs.batch is forbidden: exceeded quota")
                .build());

        assertThat(ReconcileErrors.describe(error))
                .isEqualTo("the API server answered 403: jobs.batch is forbidden: exceeded quota");
    }

    @Test
    void aHugeMessageIsCut() {
        assertThat(ReconcileErrors.describe(new RuntimeException("x".repeat(5000))))
                .hasSizeLessThan(1010);
    }
}
