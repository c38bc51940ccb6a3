package io.schemagate.it;

import static org.awaitility.Awaitility.await;

import java.sql.SQLException;

/**
 * A point in a migration script where the run waits until the test opens the gate: a run held in
 * its middle, inside the script's transaction, for exactly as long as injecting a fault takes, with
 * no guessed sleep. Once open, the gate lets every later attempt through at once.
 *
 * <p>The gate is a table in a schema of its own, outside the schemas the migrations manage: in
 * {@code public} Flyway would find a non-empty schema without history and refuse to migrate it.
 */
final class ScriptGate {
    private static final String TABLE = "test_gate.opened";
    /** The statement to put in a script; it polls with a fresh snapshot each time, so it sees the gate open. */
    static final String WAIT = "DO $$ BEGIN WHILE NOT EXISTS (SELECT FROM " + TABLE + ") LOOP"
            + " PERFORM pg_sleep(0.1); END LOOP; END $$;\n";

    private final Scenario scenario;

    private ScriptGate(Scenario scenario) {
        this.scenario = scenario;
    }

    /** A closed gate in the scenario's database. */
    static ScriptGate closedIn(Scenario scenario) throws SQLException {
        scenario.sql("CREATE SCHEMA test_gate; CREATE TABLE " + TABLE + " ()");
        return new ScriptGate(scenario);
    }

    /** Waits until a runner waits at the gate: its run is in the middle of the script. */
    void awaitRunnerWaiting() {
        await("a runner waiting at the gate").atMost(Scenario.TIMEOUT).until(() -> scenario.runnerSessions(TABLE) > 0);
    }

    void open() throws SQLException {
        scenario.sql("INSERT INTO " + TABLE + " DEFAULT VALUES");
    }
}
