package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.schemagate.api.ConfigMapSource;
import io.schemagate.api.CredentialsSecret;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.api.DatabaseSpec;
import io.schemagate.api.SecretKeyReference;
import io.schemagate.api.SourceSpec;
import io.schemagate.api.ValueSource;
import io.schemagate.support.Json;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One test's world: a namespace, a database, and helpers to declare migrations and observe them.
 * Public for the benchmarks (io.schemagate.bench), which build the same worlds many times over.
 */
public record Scenario(TestNamespace namespace, TestDatabases database) {
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    public static final String CREDENTIALS = "db-credentials";
    static final String URL_SECRET = "db-url";

    public void credentials() {
        namespace
                .client()
                .secrets()
                .inNamespace(namespace.name())
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(CREDENTIALS)
                        .endMetadata()
                        .addToStringData("username", database.user())
                        .addToStringData("password", database.password())
                        .build())
                .serverSideApply();
    }

    /**
     * A role of its own that owns the database, with the given password (one that needs
     * percent-encoding, say), and the credentials Secret naming it.
     */
    void migrator(String role, String password) throws SQLException {
        sql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN CREATE ROLE " + role
                + " LOGIN PASSWORD '" + password.replace("'", "''") + "'; END IF; END $$");
        sql("ALTER DATABASE " + database.name() + " OWNER TO " + role);
        sql("ALTER SCHEMA public OWNER TO " + role);
        namespace
                .client()
                .secrets()
                .inNamespace(namespace.name())
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(CREDENTIALS)
                        .endMetadata()
                        .addToStringData("username", role)
                        .addToStringData("password", password)
                        .build())
                .create();
    }

    public void scripts(String configMap, Map<String, String> scripts) {
        namespace
                .client()
                .configMaps()
                .inNamespace(namespace.name())
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName(configMap)
                        .endMetadata()
                        .withData(scripts)
                        .build())
                .createOr(existing -> existing.update());
    }

    /** The Secret {@code db-url} holding this JDBC URL under the key {@code url}, created or replaced. */
    void urlSecret(String url) {
        urlSecret("url", url);
    }

    /** The Secret {@code db-url} holding this URL under this key, created or replaced. */
    void urlSecret(String key, String url) {
        namespace
                .client()
                .secrets()
                .inNamespace(namespace.name())
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(URL_SECRET)
                        .endMetadata()
                        .addToStringData(key, url)
                        .build())
                .createOr(existing -> existing.update());
    }

    /** A resource that reads its URL from {@link #urlSecret}. */
    DatabaseMigration applyWithUrlFromSecret(String name, String configMap) {
        return apply(name, configMap, spec -> {
            spec.getDatabase().setUrl(null);
            spec.getDatabase().setUrlFrom(new ValueSource(new SecretKeyReference(URL_SECRET, "url")));
        });
    }

    public DatabaseMigration apply(String name, String configMap, Consumer<DatabaseMigrationSpec> customize) {
        return apply(name, database.url(), configMap, customize);
    }

    /** With a URL of the test's database that carries parameters (sslmode, say). */
    DatabaseMigration apply(String name, String url, String configMap, Consumer<DatabaseMigrationSpec> customize) {
        return resources()
                .resource(resourceFor(name, url, configMap, customize))
                .create();
    }

    /** A resource with a url, the {@link #CREDENTIALS} Secret and one ConfigMap, customized. */
    public static DatabaseMigration resourceFor(
            String name, String url, String configMap, Consumer<DatabaseMigrationSpec> customize) {
        DatabaseSpec databaseSpec = new DatabaseSpec();
        databaseSpec.setUrl(url);
        CredentialsSecret credentials = new CredentialsSecret();
        credentials.setName(CREDENTIALS);
        databaseSpec.setCredentialsSecret(credentials);
        SourceSpec source = new SourceSpec();
        source.setConfigMaps(List.of(new ConfigMapSource(configMap)));
        DatabaseMigrationSpec spec = new DatabaseMigrationSpec();
        spec.setDatabase(databaseSpec);
        spec.setSource(source);
        customize.accept(spec);
        DatabaseMigration resource = new DatabaseMigration();
        resource.getMetadata().setName(name);
        resource.setSpec(spec);
        return resource;
    }

    /** Changes the resource like a user would: read, modify, write, again on a conflict with the operator. */
    void edit(String name, Consumer<DatabaseMigration> change) {
        await("edit of " + name)
                .atMost(TIMEOUT)
                .ignoreExceptionsMatching(Scenario::isConflict)
                .until(() -> {
                    resources().withName(name).edit(resource -> {
                        change.accept(resource);
                        return resource;
                    });
                    return true;
                });
    }

    private static boolean isConflict(Throwable error) {
        return error instanceof KubernetesClientException e && e.getCode() == 409;
    }

    public Resource<DatabaseMigration> resource(String name) {
        return resources().withName(name);
    }

    /** Waits until the condition is True with this reason. */
    DatabaseMigration awaitCondition(String name, String type, String reason) {
        return awaitCondition(name, type, "True", reason);
    }

    DatabaseMigration awaitCondition(String name, String type, String status, String reason) {
        return awaitCondition(name, type, status, reason, TIMEOUT);
    }

    DatabaseMigration awaitCondition(String name, String type, String status, String reason, Duration timeout) {
        await(name + " " + type + "=" + status + "/" + reason).atMost(timeout).untilAsserted(() -> {
            Optional<Condition> condition = condition(resource(name).get(), type);
            assertThat(condition)
                    .as("conditions of %s: %s", name, describe(name))
                    .hasValueSatisfying(c -> {
                        assertThat(c.getStatus()).isEqualTo(status);
                        assertThat(c.getReason()).isEqualTo(reason);
                    });
        });
        return resource(name).get();
    }

    DatabaseMigration awaitReady(String name) {
        return awaitCondition(name, "Ready", "Current");
    }

    /**
     * The reasons of the resource's events once all of {@code expected} are among them: the operator sends events from
     * a queue of its own, so they may land after the status that announced them.
     */
    List<String> awaitEvents(String name, String... expected) {
        return await("events " + List.of(expected) + " of " + name)
                .atMost(TIMEOUT)
                .until(() -> eventReasons(name), reasons -> reasons.containsAll(List.of(expected)));
    }

    List<String> eventReasons(String name) {
        return events(name).map(Event::getReason).toList();
    }

    /** The messages of the resource's events with this reason. */
    List<String> eventMessages(String name, String reason) {
        return events(name)
                .filter(event -> reason.equals(event.getReason()))
                .map(Event::getMessage)
                .toList();
    }

    /** The reasons of the resource's events, in the order of their times (microseconds). */
    List<String> eventReasonsByTime(String name) {
        return events(name)
                .sorted(Comparator.comparing(
                        event -> Instant.parse(event.getEventTime().getTime())))
                .map(Event::getReason)
                .toList();
    }

    private Stream<Event> events(String name) {
        return namespace.client().v1().events().inNamespace(namespace.name()).list().getItems().stream()
                .filter(event -> name.equals(event.getInvolvedObject().getName())
                        && "DatabaseMigration".equals(event.getInvolvedObject().getKind()));
    }

    public List<Job> jobs() {
        return namespace
                .client()
                .batch()
                .v1()
                .jobs()
                .inNamespace(namespace.name())
                .list()
                .getItems();
    }

    boolean tableExists(String table) throws SQLException {
        try (Connection connection = database.connect();
                ResultSet rows = connection.getMetaData().getTables(null, "public", table, null)) {
            return rows.next();
        }
    }

    /**
     * File names of the migrations the history table records as applied, in the order they ran: a
     * script applied twice, or a failed one, shows.
     */
    List<String> appliedScripts() throws SQLException {
        List<String> scripts = new ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT script, success FROM flyway_schema_history ORDER BY installed_rank")) {
            while (rows.next()) {
                // The history names a script by its path below the location: <ConfigMap>/<file>.
                String script = rows.getString(1).substring(rows.getString(1).lastIndexOf('/') + 1);
                scripts.add(rows.getBoolean(2) ? script : script + " (failed)");
            }
        }
        return scripts;
    }

    /**
     * Sessions the runner (application name schemagate-migrate) has open on this test's database
     * whose current, or last, statement contains this text; "" counts them all.
     */
    int runnerSessions(String statement) throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                + " AND application_name = 'schemagate-migrate' AND strpos(query, ?) > 0")) {
            query.setString(1, statement);
            try (ResultSet count = query.executeQuery()) {
                count.next();
                return count.getInt(1);
            }
        }
    }

    void sql(String sql) throws SQLException {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    public String describe(String name) {
        DatabaseMigration resource = resource(name).get();
        return resource == null || resource.getStatus() == null ? "no status" : Json.write(resource.getStatus());
    }

    public static Optional<Condition> condition(DatabaseMigration resource, String type) {
        if (resource == null || resource.getStatus() == null) {
            return Optional.empty();
        }
        return resource.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst();
    }

    private NonNamespaceOperation<
                    DatabaseMigration, KubernetesResourceList<DatabaseMigration>, Resource<DatabaseMigration>>
            resources() {
        return namespace.client().resources(DatabaseMigration.class).inNamespace(namespace.name());
    }
}
