package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.schemagate.api.DatabaseMigration;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An operator killed while its Job runs: the next one adopts the run instead of starting another. */
@ExtendWith(TestNamespace.Extension.class)
class OperatorRestartIT {
    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    @Test
    void aRestartedOperatorFinishesTheRunWithoutADuplicateJob(TestNamespace namespace) throws Exception {
        Scenario scenario = new Scenario(namespace, database);
        scenario.credentials();
        scenario.scripts("migrations", Map.of(
                "V1__slow.sql", "SELECT pg_sleep(4); CREATE TABLE slow (id int);",
                "V2__after.sql", "CREATE TABLE after_slow (id int);"));

        OperatorProcess first = OperatorProcess.start(TestBed.get());
        try {
            scenario.apply("orders", "migrations", spec -> { });
            await().atMost(Scenario.TIMEOUT).until(() -> !scenario.jobs().isEmpty());
        } finally {
            first.kill();
        }
        String job = scenario.jobs().get(0).getMetadata().getName();

        try (OperatorProcess second = OperatorProcess.start(TestBed.get())) {
            DatabaseMigration ready = scenario.awaitReady("orders");

            assertThat(scenario.jobs()).extracting(j -> j.getMetadata().getName()).containsExactly(job);
            assertThat(ready.getStatus().getLastRun().getJob()).isEqualTo(job);
            assertThat(ready.getStatus().getLastRun().getOutcome()).isEqualTo("Succeeded");
            assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("2");
            assertThat(ready.getStatus().getHistory()).hasSize(1);
            assertThat(scenario.tableExists("after_slow")).isTrue();
        }
    }
}
