package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.RehearsalSpec;
import io.schemagate.api.RunStatus;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** spec.rehearsal on the bed: the runner image's pg_dump and pg_restore make the scratch copy in a Job pod. */
@ExtendWith(TestNamespace.Extension.class)
class RehearsalIT {
    static final Map<String, String> SCHEMA = Map.of(
            "V1__customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);",
            "V2__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint REFERENCES customers);");

    @RegisterExtension
    static final SharedOperator operator = new SharedOperator();

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    private Scenario scenario;

    @BeforeEach
    void setUp(TestNamespace namespace) {
        scenario = new Scenario(namespace, database);
        scenario.credentials();
    }

    @Test
    void aScriptThatFailsOnTheCopyStallsWithTheRealDatabaseUntouchedAndAFixedOneRuns() throws Exception {
        scenario.scripts("schema", SCHEMA);
        scenario.apply("orders", "schema", spec -> {
            spec.setRehearsal(new RehearsalSpec());
            spec.getRehearsal().setEnabled(true);
        });
        assertThat(scenario.awaitReady("orders").getStatus().getRevision().getCurrent())
                .isEqualTo("2");
        database.execute("INSERT INTO customers SELECT n, 'c' || n FROM generate_series(1, 50) n");

        Map<String, String> broken = new HashMap<>(SCHEMA);
        broken.put("V3__tier.sql", "ALTER TABLE customers ADD COLUMN tier text NOT NULL DEFAULT 'basic';");
        broken.put("V4__notes.sql", "ALTER TABLE order_notes ADD COLUMN body text;");
        scenario.scripts("schema", broken);

        DatabaseMigration stalled = scenario.awaitCondition("orders", "Stalled", "RehearsalFailed");
        RunStatus failed = stalled.getStatus().getLastRun();
        assertThat(failed.getFailedMigration()).isEqualTo("V4__notes.sql");
        assertThat(failed.getSqlState()).isEqualTo("42P01");
        assertThat(failed.getMessage()).contains("schema-only copy").contains("the real database is untouched");
        assertThat(database.query("SELECT max(version) FROM flyway_schema_history"))
                .containsExactly("2");
        assertThat(database.query("SELECT count(*) FROM information_schema.columns WHERE column_name = 'tier'"))
                .as("V3 ran on the copy only")
                .containsExactly("0");
        assertThat(scratchDatabases()).isZero();

        Map<String, String> fixed = new HashMap<>(broken);
        fixed.put("V4__notes.sql", "CREATE TABLE order_notes (id bigint PRIMARY KEY, body text);");
        scenario.scripts("schema", fixed);

        await("the rehearsed run applied both")
                .atMost(Scenario.TIMEOUT)
                .until(() -> "4"
                        .equals(scenario.resource("orders")
                                .get()
                                .getStatus()
                                .getRevision()
                                .getCurrent()));
        assertThat(scenario.awaitReady("orders").getStatus().getLastRun().getApplied())
                .isEqualTo(2);
        assertThat(database.query("SELECT count(*) FROM customers WHERE tier = 'basic'"))
                .containsExactly("50");
        assertThat(scratchDatabases()).isZero();
    }

    private long scratchDatabases() throws Exception {
        return Long.parseLong(database.query(
                        "SELECT count(*) FROM pg_database WHERE datname LIKE '" + database.name() + "_sg_rehearsal_%'")
                .get(0));
    }
}
