package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.SecretKeyReference;
import io.schemagate.api.ValueSource;
import io.schemagate.support.Json;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Database URLs as providers and platforms write them in their Secrets, read with
 * {@code spec.database.urlFrom} and no credentials Secret: the credentials come from the URL.
 */
@ExtendWith(TestNamespace.Extension.class)
class ProviderUrlsIT {
    /** Every character a URL's user information reserves; LeakCheckIT looks for it in all its forms. */
    static final String PASSWORD = "p@ss:w/rd%7";

    private static final String ENCODED = URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8);
    private static final String ROLE = "provider_" + Long.toHexString(System.nanoTime());

    @RegisterExtension
    static final SharedOperator operator = new SharedOperator();

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    private Scenario scenario;

    @BeforeEach
    void setUp(TestNamespace namespace) throws Exception {
        scenario = new Scenario(namespace, database);
        scenario.migrator(ROLE, PASSWORD);
        scenario.scripts("migrations", DatabaseMigrationIT.THREE);
    }

    /** CloudNativePG's application Secret holds a libpq URI under `uri`. */
    @Test
    void aCloudNativePgStyleUriIsReady() {
        assertReady("postgresql://" + ROLE + ":" + ENCODED + "@" + TestDatabases.hostAndPort() + "/" + database.name());
    }

    @Test
    void aJdbcUrlWithUserInformationIsReady() {
        assertReady("jdbc:postgresql://" + ROLE + ":" + ENCODED + "@" + TestDatabases.hostAndPort() + "/"
                + database.name());
    }

    /** A Heroku-style DATABASE_URL, and a host list whose first host answers nothing. */
    @Test
    void aPostgresUriWithAHostListIsReady() {
        assertReady("postgres://" + ROLE + ":" + ENCODED + "@127.0.0.1:1," + TestDatabases.hostAndPort() + "/"
                + database.name() + "?sslmode=prefer&application_name=orders&connect_timeout=5");
    }

    @Test
    void anUnknownSchemeStallsWithItsOwnReasonAndNoPassword() {
        assertRefused(
                "mysql://" + ROLE + ":" + ENCODED + "@" + TestDatabases.hostAndPort() + "/app", "is not PostgreSQL's");
    }

    /** A password written into the URL without percent-encoding its own %. */
    @Test
    void anUnbalancedPercentStallsWithoutEchoingThePassword() {
        String stalled = assertRefused(
                "postgresql://" + ROLE + ":50%zz-off@" + TestDatabases.hostAndPort() + "/" + database.name(),
                "password has a % that is not followed by two hexadecimal digits");
        assertThat(stalled).doesNotContain("50%zz-off").doesNotContain("zz-off");
    }

    @Test
    void aParameterTheDriverCannotTakeStalls() {
        assertRefused(
                "postgresql://" + ROLE + ":" + ENCODED + "@" + TestDatabases.hostAndPort() + "/" + database.name()
                        + "?gssencmode=disable",
                "parameter gssencmode");
    }

    private void assertReady(String url) {
        DatabaseMigration ready = applyWithUrl(url);

        DatabaseMigration resource = scenario.awaitReady(ready.getMetadata().getName());
        assertThat(resource.getStatus().getRevision().getCurrent()).isEqualTo("3");
        assertThat(Json.write(resource.getStatus())).doesNotContain(PASSWORD).doesNotContain(ENCODED);
        assertThat(Json.write(scenario.jobs())).doesNotContain(PASSWORD).doesNotContain(ENCODED);
    }

    /** The Stalled condition's message. */
    private String assertRefused(String url, String why) {
        applyWithUrl(url);

        DatabaseMigration stalled = scenario.awaitCondition("shop", "Stalled", "InvalidDatabaseUrl");
        Condition condition = Scenario.condition(stalled, "Stalled").orElseThrow();
        assertThat(condition.getMessage())
                .contains(why)
                .contains("key uri of Secret " + Scenario.URL_SECRET)
                .doesNotContain(PASSWORD)
                .doesNotContain(ENCODED);
        assertThat(scenario.jobs()).as("nothing ran").isEmpty();
        return condition.getMessage();
    }

    private DatabaseMigration applyWithUrl(String url) {
        scenario.urlSecret("uri", url);
        return scenario.apply("shop", "migrations", spec -> {
            spec.getDatabase().setUrl(null);
            spec.getDatabase().setCredentialsSecret(null);
            spec.getDatabase().setUrlFrom(new ValueSource(new SecretKeyReference(Scenario.URL_SECRET, "uri")));
        });
    }
}
