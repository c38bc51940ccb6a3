package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.schemagate.api.DatabaseMigration;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retries end, and say so: the same transient failure a few times in a row stalls; a deadline is named. */
@ExtendWith(TestNamespace.Extension.class)
class BoundedRetriesIT {
    private static final int MAX_ATTEMPTS = 3;

    @RegisterExtension
    static final SharedOperator operator =
            new SharedOperator(Map.of("SCHEMAGATE_RETRY_MAX_ATTEMPTS", Integer.toString(MAX_ATTEMPTS)));

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    private Scenario scenario;

    @BeforeEach
    void setUp(TestNamespace namespace) {
        scenario = new Scenario(namespace, database);
        scenario.credentials();
        scenario.scripts("migrations", DatabaseMigrationIT.THREE);
    }

    @Test
    void anUnreachableDatabaseStallsAfterMaxAttemptsAndAFixedSecretRecoversIt() {
        scenario.urlSecret("jdbc:postgresql://127.0.0.1:1/" + database.name());
        scenario.applyWithUrlFromSecret("orders", "migrations");

        DatabaseMigration stalled = scenario.awaitCondition("orders", "Stalled", "RetriesExhausted");

        assertThat(Scenario.condition(stalled, "Stalled").orElseThrow().getMessage())
                .contains("DatabaseUnreachable " + MAX_ATTEMPTS + " times in a row")
                .contains("schemagate.io/retry");
        assertThat(scenario.jobs()).isEmpty();
        scenario.urlSecret(database.url());
        assertThat(scenario.awaitReady("orders").getStatus().getRevision().getCurrent())
                .isEqualTo("3");
    }

    /**
     * A run past its deadline is stopped by Kubernetes and named so; its statement does not go on
     * running on the server (the runner's sessions check that their client is still there).
     */
    @Test
    void aRunStoppedAtItsDeadlineSaysDeadlineExceededAndLeavesNothingRunning() throws Exception {
        Map<String, String> scripts = DatabaseMigrationIT.threeAnd(Map.of("V4__slow.sql", "SELECT pg_sleep(600);"));
        scenario.scripts("migrations", scripts);
        scenario.apply("orders", "migrations", spec -> spec.getJob().setActiveDeadlineSeconds(4L));

        await("a run ended by its deadline").atMost(Scenario.TIMEOUT).until(() -> {
            DatabaseMigration resource = scenario.resource("orders").get();
            return resource.getStatus() != null
                    && resource.getStatus().getHistory().stream()
                            .anyMatch(run -> "DeadlineExceeded".equals(run.getReason()));
        });
        // Well before the ten minutes the statement would have slept for.
        await("the stopped run's statement gone from the server")
                .atMost(Scenario.TIMEOUT)
                .until(() -> sleepingSessions() == 0);

        scripts.put("V4__slow.sql", "SELECT 1;");
        scenario.scripts("migrations", scripts);
        assertThat(scenario.awaitReady("orders").getStatus().getRevision().getCurrent())
                .isEqualTo("4");
    }

    private int sleepingSessions() throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '"
                        + database.name() + "' AND query LIKE '%pg_sleep(600)%' AND pid <> pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
