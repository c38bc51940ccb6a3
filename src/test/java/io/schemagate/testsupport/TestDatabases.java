package io.schemagate.testsupport;

import io.schemagate.testbed.TestBed;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh, empty PostgreSQL database for each test, dropped afterwards, on the test bed's server
 * (see {@link TestBed}: the one `make test` started, or one started for this JVM).
 * Register with {@code @RegisterExtension final TestDatabases database = new TestDatabases();}.
 */
public final class TestDatabases implements BeforeEachCallback, AfterEachCallback {

    private String name;

    @Override
    public void beforeEach(ExtensionContext context) throws SQLException {
        create();
    }

    @Override
    public void afterEach(ExtensionContext context) throws SQLException {
        drop();
    }

    /** A fresh database outside JUnit's lifecycle (benchmarks make many in one test); drop it after. */
    public static TestDatabases fresh() throws SQLException {
        TestDatabases database = new TestDatabases();
        database.create();
        return database;
    }

    private void create() throws SQLException {
        String fresh = "sg_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute("CREATE DATABASE " + fresh);
        name = fresh;
    }

    public void drop() throws SQLException {
        if (name != null) {
            // FORCE ends sessions a failed test may have left open.
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            name = null;
        }
    }

    /** The JDBC URL of this test's database. */
    public String url() {
        return withDatabase(server(), name);
    }

    public String user() {
        return TestBed.get().pgUser();
    }

    public String password() {
        return TestBed.get().pgPassword();
    }

    public String name() {
        return name;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), password());
    }

    /** The server's host and port as the URL names them, e.g. {@code 127.0.0.1:5432}. */
    public static String hostAndPort() {
        String afterScheme = server().substring(server().indexOf("//") + 2);
        return afterScheme.substring(0, afterScheme.indexOf('/'));
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server(), user(), password());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String server() {
        return TestBed.get().jdbcUrl();
    }

    /** Replaces the database of a {@code jdbc:postgresql://host:port/database?parameters} URL. */
    static String withDatabase(String url, String database) {
        int pathStart = url.indexOf('/', url.indexOf("//") + 2);
        int query = url.indexOf('?', pathStart);
        String parameters = query < 0 ? "" : url.substring(query);
        return url.substring(0, pathStart) + "/" + database + parameters;
    }

}
