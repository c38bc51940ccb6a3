package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Resources that share a database and its history table are migrated one at a time. */
@ExtendWith(TestNamespace.Extension.class)
class ConcurrencyIT {
    @RegisterExtension
    static final SharedOperator operator = new SharedOperator();

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    @Test
    void twoResourcesOnOneHistoryTableAppliedAtTheSameInstantNeverRunTogether(TestNamespace namespace)
            throws Exception {
        Scenario scenario = new Scenario(namespace, database);
        scenario.credentials();
        scenario.scripts("migrations", DatabaseMigrationIT.THREE);
        List<String> names = List.of("billing", "shipping");

        try (JobLedger jobs = new JobLedger(namespace)) {
            CyclicBarrier sameInstant = new CyclicBarrier(names.size());
            CompletableFuture.allOf(names.stream()
                            .map(name -> CompletableFuture.runAsync(() -> {
                                await(sameInstant);
                                scenario.apply(name, "migrations", spec -> {});
                            }))
                            .toArray(CompletableFuture[]::new))
                    .join();

            names.forEach(name -> assertThat(
                            scenario.awaitReady(name).getStatus().getRevision().getCurrent())
                    .isEqualTo("3"));
            assertThat(jobs.overlaps()).as("Jobs active at the same time").isEmpty();
            // The second to look finds the schema current: one run serves both.
            jobs.assertRunsSucceededOnce(1);
            assertThat(scenario.appliedScripts())
                    .containsExactlyInAnyOrderElementsOf(DatabaseMigrationIT.THREE.keySet());
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
