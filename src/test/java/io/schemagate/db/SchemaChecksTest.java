package io.schemagate.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.schemagate.testsupport.TestDatabases;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Verify checks against a real PostgreSQL, read as the operator reads them at every resync. */
class SchemaChecksTest {

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    @BeforeEach
    void schema() throws SQLException {
        database.execute("CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL)");
        database.execute("INSERT INTO orders VALUES (1, 10), (2, 20)");
    }

    @Test
    void onlyOneRowWhoseFirstColumnIsBooleanTruePasses() throws SQLException {
        List<CheckResult> results = read(
                new VerifyCheck("positive", "SELECT count(*) = 0 FROM orders WHERE total < 0"),
                new VerifyCheck("false", "SELECT count(*) = 5 FROM orders"),
                new VerifyCheck("none", "SELECT true FROM orders WHERE id = 99"),
                new VerifyCheck("two", "SELECT true FROM orders"),
                new VerifyCheck("text", "SELECT 'true'"),
                new VerifyCheck("null", "SELECT NULL::boolean"));

        assertThat(results)
                .extracting(CheckResult::name, CheckResult::passed, CheckResult::returned)
                .containsExactly(
                        tuple("positive", true, "true"),
                        tuple("false", false, "false"),
                        tuple("none", false, "no row"),
                        tuple("two", false, "2 rows"),
                        tuple("text", false, "true"),
                        tuple("null", false, "null"));
    }

    @Test
    void aQueryThatFailsIsAResultWithItsSqlStateAndTheNextCheckStillRuns() throws SQLException {
        List<CheckResult> results = read(
                new VerifyCheck("gone", "SELECT count(*) > 0 FROM invoices"),
                new VerifyCheck("orders", "SELECT count(*) = 2 FROM orders"));

        assertThat(results.get(0).sqlState()).isEqualTo("42P01");
        assertThat(results.get(0).returned()).contains("invoices");
        assertThat(results.get(1).passed()).isTrue();
    }

    @Test
    void aCheckCannotWrite() throws SQLException {
        List<CheckResult> results = read(new VerifyCheck(
                "cleanup", "WITH gone AS (DELETE FROM orders RETURNING 1) SELECT count(*) = 2 FROM gone"));

        assertThat(results.get(0).passed()).isFalse();
        assertThat(results.get(0).sqlState()).isEqualTo("25006");
        assertThat(database.query("SELECT count(*) FROM orders")).containsExactly("2");
    }

    private List<CheckResult> read(VerifyCheck... checks) throws SQLException {
        return new SchemaHistoryReader()
                .read(
                        new DatabaseConnection(database.url(), database.user(), database.password()),
                        new HistoryTable("public", HistoryTable.DEFAULT_TABLE),
                        List.of(),
                        List.of(checks))
                .checks();
    }
}
