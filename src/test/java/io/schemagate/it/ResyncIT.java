package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.schemagate.api.DatabaseMigration;
import io.schemagate.contract.Outcome;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The periodic resync reads the database again and notices what changed behind SchemaGate's back. */
@ExtendWith(TestNamespace.Extension.class)
class ResyncIT {
    @RegisterExtension
    static final SharedOperator operator = new SharedOperator();

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    private Scenario scenario;

    @BeforeEach
    void setUp(TestNamespace namespace) {
        scenario = new Scenario(namespace, database);
        scenario.credentials();
        scenario.scripts("migrations", DatabaseMigrationIT.THREE);
        scenario.apply("orders", "migrations", spec -> {});
        scenario.awaitReady("orders");
    }

    @Test
    void aMigrationAppliedByHandIsReportedAsDrift(@TempDir Path scripts) throws Exception {
        for (var script : DatabaseMigrationIT.THREE.entrySet()) {
            Files.writeString(scripts.resolve(script.getKey()), script.getValue());
        }
        Files.writeString(scripts.resolve("V9__hotfix.sql"), "CREATE TABLE hotfix (id int);");
        Flyway.configure()
                .dataSource(database.url(), database.user(), database.password())
                .locations("filesystem:" + scripts)
                .load()
                .migrate();

        await().atMost(Scenario.TIMEOUT)
                .untilAsserted(() -> assertThat(scenario.resource("orders")
                                .get()
                                .getStatus()
                                .getRevision()
                                .getDrift())
                        .isEqualTo("applied but not in the source: 9"));
        DatabaseMigration resource = scenario.resource("orders").get();
        assertThat(resource.getStatus().getRevision().getCurrent()).isEqualTo("9");
        assertThat(scenario.jobs()).hasSize(1);
    }

    @Test
    void aRestoreFromAnOlderBackupIsMigratedAgain() throws Exception {
        scenario.sql("DROP INDEX orders_customer; DELETE FROM flyway_schema_history WHERE version = '3'");

        await().atMost(Scenario.TIMEOUT).untilAsserted(() -> {
            DatabaseMigration resource = scenario.resource("orders").get();
            assertThat(resource.getStatus().getHistory()).hasSize(2);
            assertThat(resource.getStatus().getLastRun().getFrom()).isEqualTo("2");
            assertThat(resource.getStatus().getLastRun().getOutcome()).isEqualTo(Outcome.Succeeded);
        });
        assertThat(scenario.awaitReady("orders").getStatus().getRevision().getCurrent())
                .isEqualTo("3");
    }
}
