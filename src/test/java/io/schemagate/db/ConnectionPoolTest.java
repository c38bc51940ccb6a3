package io.schemagate.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.schemagate.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator's idle connections, against a real PostgreSQL: which backend serves each read tells. */
class ConnectionPoolTest {

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    private final MovableClock clock = new MovableClock();
    private final List<Connection> opened = new ArrayList<>();
    private ConnectionPool pool = new ConnectionPool(4, Duration.ofMinutes(2), clock);

    @AfterEach
    void closeAll() {
        pool.close();
    }

    @Test
    void aSecondReadUsesTheConnectionOfTheFirst() throws SQLException {
        DatabaseConnection target = target();

        int first = backendOf(target);
        int second = backendOf(target);

        assertThat(second).isEqualTo(first);
        assertThat(opened).hasSize(1);
    }

    @Test
    void keepsAtMostTwoForOneDatabaseAndTheBoundInAll() throws SQLException {
        DatabaseConnection target = target();
        // Three reads at once, as three resources on one database can.
        pool.withConnection(
                target,
                () -> open(target),
                outer -> pool.withConnection(
                        target,
                        () -> open(target),
                        middle -> pool.withConnection(target, () -> open(target), inner -> 0)));
        assertThat(opened).hasSize(3);
        assertThat(pool.idleCount()).isEqualTo(2);
        assertThat(opened.stream().filter(this::isClosed)).hasSize(1);

        pool.close();
        pool = new ConnectionPool(1, Duration.ofMinutes(2), clock);
        TestDatabases other = TestDatabases.fresh();
        try {
            DatabaseConnection second = new DatabaseConnection(other.url(), other.user(), other.password());
            backendOf(target);
            backendOf(second);
            assertThat(pool.idleCount()).isEqualTo(1);
        } finally {
            pool.close();
            other.drop();
        }
    }

    @Test
    void anIdleConnectionIsClosedOnceItsTimeoutPassed() throws SQLException {
        DatabaseConnection target = target();
        backendOf(target);

        clock.advance(Duration.ofMinutes(1));
        pool.closeExpired();
        assertThat(pool.idleCount()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        pool.closeExpired();

        assertThat(pool.idleCount()).isZero();
        assertThat(isClosed(opened.get(0))).isTrue();
    }

    @Test
    void aConnectionTheServerEndedIsReplacedWithoutAFailedRead() throws SQLException {
        DatabaseConnection target = target();
        int first = backendOf(target);
        database.execute("SELECT pg_terminate_backend(" + first + ")");

        int second = backendOf(target);

        assertThat(second).isNotEqualTo(first);
        assertThat(opened).hasSize(2);
    }

    @Test
    void workThatFailsOnItsOwnIsNotRepeatedAndItsConnectionNotKept() throws SQLException {
        DatabaseConnection target = target();
        backendOf(target);
        List<String> attempts = new ArrayList<>();

        assertThatThrownBy(() -> pool.withConnection(target, () -> open(target), jdbc -> {
                    attempts.add("read");
                    try (Statement statement = jdbc.createStatement()) {
                        return statement.executeQuery("SELECT * FROM no_such_table");
                    }
                }))
                .isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo("42P01");

        assertThat(attempts).hasSize(1);
        assertThat(pool.idleCount()).isZero();
    }

    @Test
    void aRotatedPasswordIsUsedAtTheNextReadAndTheOldLoginsConnectionsClosed() throws SQLException {
        String role = "sg_pool_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        database.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'before'");
        try {
            DatabaseConnection before = new DatabaseConnection(database.url(), role, "before");
            int first = backendOf(before);
            database.execute("ALTER ROLE " + role + " PASSWORD 'after'");
            DatabaseConnection after = new DatabaseConnection(database.url(), role, "after");

            int second = backendOf(after);

            assertThat(second).isNotEqualTo(first);
            assertThat(isClosed(opened.get(0))).isTrue();
            assertThat(pool.idleCount()).isEqualTo(1);
        } finally {
            pool.close();
            database.execute("DROP ROLE " + role);
        }
    }

    private DatabaseConnection target() {
        return new DatabaseConnection(database.url(), database.user(), database.password());
    }

    private int backendOf(DatabaseConnection target) throws SQLException {
        return pool.withConnection(target, () -> open(target), jdbc -> {
            try (Statement statement = jdbc.createStatement();
                    ResultSet result = statement.executeQuery("SELECT pg_backend_pid()")) {
                result.next();
                return result.getInt(1);
            }
        });
    }

    private Connection open(DatabaseConnection target) throws SQLException {
        Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.username(), target.password());
        opened.add(connection);
        return connection;
    }

    private boolean isClosed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** A clock the test moves by hand. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-02T08:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
