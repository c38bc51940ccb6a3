package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.schemagate.api.AdoptSpec;
import io.schemagate.api.AlembicSpec;
import io.schemagate.api.BackupSpec;
import io.schemagate.api.CommandHistorySpec;
import io.schemagate.api.CommandSpec;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DowngradeSpec;
import io.schemagate.api.FlywaySpec;
import io.schemagate.api.ImageSource;
import io.schemagate.api.RehearsalSpec;
import io.schemagate.api.SecretKeyReference;
import io.schemagate.api.SqlxSpec;
import io.schemagate.api.ValueSource;
import io.schemagate.api.VerifySpec;
import io.schemagate.api.WorkloadInheritance;
import io.schemagate.api.WorkloadSource;
import io.schemagate.db.Engine;
import io.schemagate.db.HistoryFormat;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;

/** The CRD as the API server enforces it: bad input is refused by `kubectl apply` itself. */
@ExtendWith(TestNamespace.Extension.class)
class CrdIT {
    private static final Path GENERATED = Path.of("target/kubernetes/databasemigrations.schemagate.io-v1.yml");
    private static final Path COMMITTED = Path.of("crds/databasemigrations.schemagate.io-v1.yml");

    @BeforeAll
    static void install() {
        OperatorProcess.installCrd(TestBed.get().client());
    }

    @Test
    void theCommittedCrdIsTheOneTheCodeGenerates() throws Exception {
        assertThat(Files.readString(COMMITTED))
                .as("crds/ is stale: run `make crds`")
                .isEqualTo(Files.readString(GENERATED));
    }

    @Test
    void everySpecFieldIsDescribedForKubectlExplain() {
        CustomResourceDefinition crd = TestBed.get()
                .client()
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("databasemigrations.schemagate.io")
                .get();
        JSONSchemaProps spec = crd.getSpec()
                .getVersions()
                .get(0)
                .getSchema()
                .getOpenAPIV3Schema()
                .getProperties()
                .get("spec");

        assertDescribed("spec", spec);
    }

    /** kubectl reads a row as people do: state first, age last; -o wide adds what a run was. */
    @Test
    void kubectlPrintsTheColumnsInReadingOrderAndExplainsTheFields(TestNamespace namespace) throws Exception {
        resources(namespace).resource(valid()).create();

        TestBed.CommandResult get = TestBed.get().runKubectl("get", "dbm", "-n", namespace.name());
        TestBed.CommandResult wide = TestBed.get().runKubectl("get", "dbm", "-n", namespace.name(), "-o", "wide");
        TestBed.CommandResult explain = TestBed.get().runKubectl("explain", "dbm.spec.source.image.mount");

        assertThat(get.exitCode()).as(get.output()).isZero();
        assertThat(header(get)).containsExactly("NAME", "READY", "REVISION", "TARGET", "REASON", "AGE");
        assertThat(header(wide))
                .containsExactly(
                        "NAME",
                        "READY",
                        "REVISION",
                        "TARGET",
                        "REASON",
                        "AGE",
                        "ENGINE",
                        "LAST RUN",
                        "GATED",
                        "MESSAGE");
        assertThat(wide.output().lines().skip(1).findFirst().orElseThrow()).contains("flyway");
        assertThat(explain.exitCode()).as(explain.output()).isZero();
        assertThat(explain.output()).contains("ENUM:", "Volume", "Copy", "image volume");
    }

    private static List<String> header(TestBed.CommandResult table) {
        return List.of(table.output().lines().findFirst().orElseThrow().trim().split(" {2,}"));
    }

    @Test
    void bothUrlAndUrlFromAreRefused(TestNamespace namespace) {
        assertRefused(
                namespace,
                spec -> spec.getSpec().getDatabase().setUrlFrom(new ValueSource(new SecretKeyReference("s", "url"))),
                "set exactly one of database.url and database.urlFrom");
    }

    @Test
    void twoSourcesAreRefused(TestNamespace namespace) {
        ImageSource image = new ImageSource();
        image.setRef("acme/orders:1");
        assertRefused(
                namespace,
                resource -> resource.getSpec().getSource().setImage(image),
                "set exactly one source: configMaps, image or workload");
    }

    @Test
    void aMalformedTargetIsRefused(TestNamespace namespace) {
        assertRefused(namespace, resource -> resource.getSpec().setTarget("v2"), "spec.target");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "jdbc:postgresql://admin:secret@db:5432/orders",
                "jdbc:postgresql://db:5432/orders?user=admin&password=secret",
                "jdbc:postgresql://db:5432/orders?ssl=true&sslPassword=secret",
                "jdbc:postgresql://db:5432/orders?USER=admin"
            })
    void aUrlWithCredentialsIsRefusedSayingWhereTheyGo(String url, TestNamespace namespace) {
        assertRefused(
                namespace,
                resource -> resource.getSpec().getDatabase().setUrl(url),
                "database.url must not carry credentials");
        assertRefused(namespace, resource -> resource.getSpec().getDatabase().setUrl(url), "database.urlFrom");
    }

    @Test
    void aUrlWithoutCredentialsSecretIsRefusedButAUrlFromASecretMayCarryItsOwn(TestNamespace namespace) {
        assertRefused(
                namespace,
                resource -> resource.getSpec().getDatabase().setCredentialsSecret(null),
                "database.credentialsSecret is required with database.url");

        DatabaseMigration fromSecret = valid();
        fromSecret.getSpec().getDatabase().setUrl(null);
        fromSecret.getSpec().getDatabase().setCredentialsSecret(null);
        fromSecret
                .getSpec()
                .getDatabase()
                .setUrlFrom(new ValueSource(new SecretKeyReference("orders-app", "jdbc-uri")));
        assertThat(resources(namespace)
                        .resource(fromSecret)
                        .create()
                        .getSpec()
                        .getDatabase()
                        .getCredentialsSecret())
                .isNull();
    }

    @Test
    void aPlaceholderSetTwiceOrNamedBadlyIsRefused(TestNamespace namespace) {
        ValueSource fromSecret = new ValueSource(new SecretKeyReference("roles", "app"));
        assertRefused(
                namespace,
                resource -> {
                    resource.getSpec().setFlyway(new FlywaySpec());
                    resource.getSpec().getFlyway().setPlaceholders(Map.of("app_password", "x"));
                    resource.getSpec().getFlyway().setPlaceholdersFrom(Map.of("app_password", fromSecret));
                },
                "set in both flyway.placeholders and flyway.placeholdersFrom");
        assertRefused(
                namespace,
                resource -> {
                    resource.getSpec().setFlyway(new FlywaySpec());
                    resource.getSpec().getFlyway().setPlaceholdersFrom(Map.of("1st password", fromSecret));
                },
                "placeholder names");
    }

    @Test
    void anotherEnginesSettingsAreRefused(TestNamespace namespace) {
        assertRefused(
                namespace, resource -> resource.getSpec().setSqlx(new SqlxSpec()), "spec.sqlx is for engine sqlx");
        assertRefused(
                namespace,
                resource -> {
                    resource.getSpec().setEngine(Engine.sqlx);
                    resource.getSpec().setFlyway(new FlywaySpec());
                },
                "spec.flyway is for engine flyway");
        assertRefused(
                namespace,
                resource -> {
                    resource.getSpec().setEngine(Engine.sqlx);
                    resource.getSpec().setSqlx(new SqlxSpec());
                    resource.getSpec().getSqlx().setTable("Schema History");
                },
                "spec.sqlx.table");
    }

    @Test
    void alembicNeedsTheApplicationsImageAndTakesRevisionIdsAsTargetsAlone(TestNamespace namespace) {
        assertRefused(
                namespace,
                resource -> resource.getSpec().setEngine(Engine.alembic),
                "engine alembic runs the application image's own Alembic");
        assertRefused(
                namespace,
                resource -> resource.getSpec().setAlembic(new AlembicSpec()),
                "spec.alembic is for engine alembic");
        assertRefused(
                namespace,
                resource -> resource.getSpec().setTarget("ae1027a6acf"),
                "revision ids are for engine alembic");
        assertRefused(
                namespace,
                resource -> {
                    alembic(resource);
                    resource.getSpec().setAlembic(new AlembicSpec());
                    resource.getSpec().getAlembic().setConfig("../secrets/alembic.ini");
                },
                "spec.alembic.config names a file in the source's folder");

        DatabaseMigration accepted = valid();
        alembic(accepted);
        accepted.getSpec().setTarget("ae1027a6acf");
        DatabaseMigration created = resources(namespace).resource(accepted).create();
        assertThat(created.getSpec().getTarget()).isEqualTo("ae1027a6acf");
    }

    @Test
    void verifyChecksNeedNamesOfTheirOwn(TestNamespace namespace) {
        assertRefused(
                namespace,
                resource -> resource.getSpec()
                        .setVerify(List.of(
                                new VerifySpec("orders", "SELECT true"), new VerifySpec("orders", "SELECT false"))),
                "each check needs a name of its own");
        assertRefused(
                namespace,
                resource -> resource.getSpec().setVerify(List.of(new VerifySpec("Orders Exist", "SELECT true"))),
                "spec.verify[0].name");
    }

    @Test
    void lifecycleSettingsAnEngineCannotHonourAreRefusedSayingWhy(TestNamespace namespace) {
        assertRefused(
                namespace,
                resource -> resource.getSpec().setDowngrade(new DowngradeSpec(true)),
                "Flyway's free edition has no down path");
        assertRefused(
                namespace,
                resource -> {
                    golangMigrateFromImage(resource);
                    resource.getSpec().setDowngrade(new DowngradeSpec(true));
                },
                "engine command migrates down with spec.command.downArgs");
        assertRefused(
                namespace,
                resource -> {
                    alembic(resource);
                    RehearsalSpec rehearsal = new RehearsalSpec();
                    rehearsal.setEnabled(true);
                    resource.getSpec().setRehearsal(rehearsal);
                },
                "spec.rehearsal is for engines flyway and sqlx");
        assertRefused(
                namespace,
                resource -> {
                    golangMigrateFromImage(resource);
                    resource.getSpec().setAdopt(new AdoptSpec("2"));
                },
                "engine command records the history with the tool's own command, spec.command.adoptArgs");
        assertRefused(
                namespace,
                resource -> resource.getSpec().setAdopt(new AdoptSpec("v2")),
                "spec.adopt.version must be a version");
        assertRefused(
                namespace,
                resource -> {
                    BackupSpec backup = new BackupSpec();
                    backup.setEnabled(true);
                    resource.getSpec().setBackup(backup);
                },
                "spec.backup.volume is required when spec.backup.enabled is true");
        assertRefused(
                namespace,
                resource -> {
                    BackupSpec backup = new BackupSpec();
                    backup.setKeep(0);
                    resource.getSpec().setBackup(backup);
                },
                "spec.backup.keep");
    }

    private static void alembic(DatabaseMigration resource) {
        resource.getSpec().setEngine(Engine.alembic);
        ImageSource image = new ImageSource();
        image.setRef("acme/accounts:2.0");
        image.setPath("/app");
        resource.getSpec().getSource().setConfigMaps(null);
        resource.getSpec().getSource().setImage(image);
    }

    @Test
    void theCommandEngineNeedsItsToolAndAnImageOfScripts(TestNamespace namespace) {
        assertRefused(
                namespace,
                resource -> resource.getSpec().setEngine(Engine.command),
                "spec.command is required for engine command");
        assertRefused(namespace, CrdIT::golangMigrate, "engine command runs a tool's image on the scripts of an image");
    }

    private static void golangMigrateFromImage(DatabaseMigration resource) {
        golangMigrate(resource);
        resource.getSpec().getSource().setConfigMaps(null);
        ImageSource image = new ImageSource();
        image.setRef("acme/orders:1.0");
        image.setPath("/migrations");
        resource.getSpec().getSource().setImage(image);
    }

    private static void golangMigrate(DatabaseMigration resource) {
        resource.getSpec().setEngine(Engine.command);
        CommandSpec command = new CommandSpec();
        command.setHistory(new CommandHistorySpec());
        command.getHistory().setFormat(HistoryFormat.golangMigrate);
        resource.getSpec().setCommand(command);
    }

    @Test
    void anUnknownEngineIsRefusedNamingTheKnownOnes(TestNamespace namespace) {
        KubernetesSerialization serialization = namespace.client().getKubernetesSerialization();
        GenericKubernetesResource resource =
                serialization.unmarshal(serialization.asJson(valid()), GenericKubernetesResource.class);
        resource.<Map<String, Object>>get("spec").put("engine", "liquibase");

        assertThatThrownBy(() -> namespace
                        .client()
                        .resource(resource)
                        .inNamespace(namespace.name())
                        .create())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(422))
                .hasMessageContaining("spec.engine")
                .hasMessageContaining("liquibase")
                .hasMessageContaining("supported values: \"alembic\", \"command\", \"flyway\", \"sqlx\"");
    }

    @Test
    void theRunnersServiceAccountIsNamedOrInheritedNotBoth(TestNamespace namespace) {
        assertRefused(
                namespace,
                resource -> {
                    resource.getSpec().getJob().setServiceAccountName("migrator");
                    WorkloadInheritance inherit = new WorkloadInheritance();
                    inherit.setServiceAccount(true);
                    fromWorkload(resource, inherit);
                },
                "set either job.serviceAccountName or source.workload.inherit.serviceAccount, not both");
        // As kubectl sends a manifest that names volumes only: the rule must not trip on the missing field.
        DatabaseMigration volumesOnly = valid();
        volumesOnly.getSpec().getJob().setServiceAccountName("migrator");
        fromWorkload(volumesOnly, null);
        KubernetesSerialization serialization = namespace.client().getKubernetesSerialization();
        GenericKubernetesResource manifest =
                serialization.unmarshal(serialization.asJson(volumesOnly), GenericKubernetesResource.class);
        manifest.<Map<String, Map<String, Map<String, Object>>>>get("spec")
                .get("source")
                .get("workload")
                .put("inherit", Map.of("volumes", List.of("db-client")));

        GenericKubernetesResource created = namespace
                .client()
                .resource(manifest)
                .inNamespace(namespace.name())
                .create();

        assertThat(created.<List<String>>get("spec", "source", "workload", "inherit", "volumes"))
                .containsExactly("db-client");
    }

    private static void fromWorkload(DatabaseMigration resource, WorkloadInheritance inherit) {
        resource.getSpec().getSource().setConfigMaps(null);
        WorkloadSource workload = new WorkloadSource();
        workload.setName("orders");
        workload.setInherit(inherit);
        resource.getSpec().getSource().setWorkload(workload);
    }

    @Test
    void aValidResourceIsAcceptedWithItsDefaults(TestNamespace namespace) {
        DatabaseMigration created = resources(namespace).resource(valid()).create();

        assertThat(created.getSpec().getTarget()).isEqualTo("latest");
        assertThat(created.getSpec().getEngine()).isEqualTo(Engine.flyway);
        assertThat(created.getSpec().getJob().getActiveDeadlineSeconds()).isEqualTo(600L);
        assertThat(created.getSpec().getDatabase().getCredentialsSecret().getPasswordKey())
                .isEqualTo("password");
    }

    private static void assertRefused(TestNamespace namespace, Consumer<DatabaseMigration> breakIt, String message) {
        DatabaseMigration resource = valid();
        breakIt.accept(resource);

        assertThatThrownBy(() -> resources(namespace).resource(resource).create())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(422))
                .hasMessageContaining(message);
    }

    private static DatabaseMigration valid() {
        return Scenario.resourceFor("orders", "jdbc:postgresql://db:5432/orders", "migrations", spec -> {});
    }

    private static void assertDescribed(String path, JSONSchemaProps schema) {
        for (Map.Entry<String, JSONSchemaProps> field : schema.getProperties().entrySet()) {
            JSONSchemaProps props = field.getValue();
            String fieldPath = path + "." + field.getKey();
            if (!path.startsWith("spec.job.resources")) {
                assertThat(props.getDescription())
                        .as("description of %s", fieldPath)
                        .isNotBlank();
            }
            if (props.getProperties() != null && !fieldPath.equals("spec.job.resources")) {
                assertDescribed(fieldPath, props);
            }
        }
    }

    private static NonNamespaceOperation<
                    DatabaseMigration, KubernetesResourceList<DatabaseMigration>, Resource<DatabaseMigration>>
            resources(TestNamespace namespace) {
        return namespace.client().resources(DatabaseMigration.class).inNamespace(namespace.name());
    }
}
