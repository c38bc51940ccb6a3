package io.schemagate.testsupport;

import io.schemagate.db.DatabaseConnection;
import io.schemagate.db.ToolConnection;
import io.schemagate.testbed.TestBed;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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
        String fresh =
                "sg_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        onServer("CREATE DATABASE " + fresh);
        name = fresh;
    }

    public void drop() throws SQLException {
        if (name != null) {
            // FORCE ends sessions a failed test may have left open.
            onServer("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
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

    /** This test's database as libpq's tools take it, from the connection SchemaGate hands them. */
    public String libpqUrl() {
        return ToolConnection.environment(new DatabaseConnection(url(), user(), password()))
                .get("DATABASE_URL");
    }

    /** The first column of every row the query returns, as text, in order. */
    public List<String> query(String sql) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    /** A statement on this test's database. */
    public void execute(String sql) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * What a schema is made of, in a form two databases can be compared by: each column with its type,
     * nullability and default, each index and constraint, and each table's row count.
     */
    public List<String> shape(String... schemas) throws SQLException {
        String in = "('" + String.join("', '", schemas) + "')";
        List<String> shape = new ArrayList<>(query("SELECT table_schema || '.' || table_name || '.' || column_name"
                + " || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')"
                + " FROM information_schema.columns WHERE table_schema IN " + in + " ORDER BY 1"));
        shape.addAll(query(
                "SELECT schemaname || ' ' || indexdef FROM pg_indexes WHERE schemaname IN " + in + " ORDER BY 1"));
        shape.addAll(query("SELECT n.nspname || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid)"
                + " FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname IN " + in
                + " ORDER BY 1"));
        shape.addAll(query("SELECT table_schema || '.' || table_name || ' rows ' || (xpath('/row/c/text()',"
                + " query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true,"
                + " '')))[1]::text FROM information_schema.tables WHERE table_schema IN " + in
                + " AND table_type = 'BASE TABLE' ORDER BY 1"));
        return shape;
    }

    /** The server's host and port as the URL names them, e.g. {@code 127.0.0.1:5432}. */
    public static String hostAndPort() {
        String afterScheme = server().substring(server().indexOf("//") + 2);
        return afterScheme.substring(0, afterScheme.indexOf('/'));
    }

    /** On the server's maintenance database, for creating and dropping test databases. */
    private void onServer(String sql) throws SQLException {
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
