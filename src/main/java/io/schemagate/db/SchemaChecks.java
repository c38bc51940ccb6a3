package io.schemagate.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a resource's verify checks, each in a read-only transaction that is rolled back: a check
 * cannot change the schema it checks, and one that fails leaves the next unaffected.
 */
final class SchemaChecks {
    private SchemaChecks() {}

    /** @param timeoutSeconds bounds each query, so that a slow check cannot stall the caller */
    static List<CheckResult> run(Connection jdbc, List<VerifyCheck> checks, int timeoutSeconds) throws SQLException {
        List<CheckResult> results = new ArrayList<>();
        if (checks.isEmpty()) {
            return results;
        }
        boolean autoCommit = jdbc.getAutoCommit();
        // The driver starts read-only transactions only outside autocommit.
        jdbc.setAutoCommit(false);
        jdbc.setReadOnly(true);
        try {
            for (VerifyCheck check : checks) {
                results.add(run(jdbc, check, timeoutSeconds));
            }
        } finally {
            jdbc.rollback();
            jdbc.setAutoCommit(autoCommit);
        }
        return results;
    }

    private static CheckResult run(Connection jdbc, VerifyCheck check, int timeoutSeconds) throws SQLException {
        try (Statement statement = jdbc.createStatement()) {
            statement.setQueryTimeout(timeoutSeconds);
            try (ResultSet result = statement.executeQuery(check.sql())) {
                if (!result.next()) {
                    return new CheckResult(check.name(), false, "no row", null);
                }
                Object first = result.getObject(1);
                int rows = 1;
                while (result.next()) {
                    rows++;
                }
                if (rows > 1) {
                    return new CheckResult(check.name(), false, rows + " rows", null);
                }
                // A boolean true, not a text or a number that reads like one: what the check says it returns.
                return new CheckResult(check.name(), Boolean.TRUE.equals(first), String.valueOf(first), null);
            }
        } catch (SQLException e) {
            if (SqlStates.isUnreachable(e.getSQLState()) || SqlStates.isAuthentication(e.getSQLState())) {
                throw e;
            }
            return new CheckResult(
                    check.name(),
                    false,
                    String.valueOf(e.getMessage()),
                    e.getSQLState() == null ? "" : e.getSQLState());
        } finally {
            jdbc.rollback();
        }
    }
}
