package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.schemagate.api.AdoptSpec;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.api.DowngradeSpec;
import io.schemagate.api.ImageSource;
import io.schemagate.api.RunStatus;
import io.schemagate.api.WorkloadInheritance;
import io.schemagate.api.WorkloadSource;
import io.schemagate.contract.Outcome;
import io.schemagate.db.Engine;
import io.schemagate.gate.Gating;
import io.schemagate.gate.PodGate;
import io.schemagate.reconcile.MigrationJob;
import io.schemagate.support.Json;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import io.schemagate.testsupport.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Engine alembic on the test bed: the application's image, with the real Alembic and psycopg from
 * PyPI (testbed/tools/alembic-image.sh), runs {@code alembic upgrade} in the Job's pod; SchemaGate
 * reads the heads from alembic_version and places them in the graph of the image's scripts.
 */
@ExtendWith(TestNamespace.Extension.class)
class AlembicEngineIT {
    /** The sample application's revisions, oldest first. */
    private static final List<String> REVISIONS = List.of("92f7c6e85b4b", "335f443a978d", "59aed15aacf0");

    private static final String NEXT = "7c1d2e3f4a5b";
    /** A password no URL survives unencoded, nor ConfigParser's interpolation. */
    private static final String PASSWORD = "p@ss:w/rd?#% +";

    private static final String MIGRATOR = "alembic_" + Long.toHexString(System.nanoTime());

    @RegisterExtension
    static final SharedOperator operator = new SharedOperator();

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    @TempDir
    Path work;

    private Scenario scenario;

    @BeforeEach
    void setUp(TestNamespace namespace) throws Exception {
        scenario = new Scenario(namespace, database);
        scenario.migrator(MIGRATOR, PASSWORD);
    }

    @Test
    void alembicUpgradesFromTheApplicationsImageAndItsHeadsAreRead(TestNamespace namespace) throws Exception {
        String app = image("accounts", Map.of());
        scenario.apply("accounts", "unused", spec -> alembic(spec, imageSource(app)));

        DatabaseMigration ready = scenario.awaitReady("accounts");

        String head = REVISIONS.get(2);
        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo(head);
        assertThat(ready.getStatus().getRevision().getTarget()).isEqualTo("head");
        assertThat(Scenario.condition(ready, "Ready").orElseThrow().getMessage())
                .isEqualTo("schema at revision " + head);
        assertThat(ready.getStatus().getRevision().getReached())
                .containsExactly(REVISIONS.get(2), REVISIONS.get(1), REVISIONS.get(0));
        RunStatus run = ready.getStatus().getLastRun();
        assertThat(run.getOutcome()).isEqualTo(Outcome.Succeeded);
        assertThat(run.getApplied()).isEqualTo(3);
        assertThat(run.getLatest()).isEqualTo(head);
        assertThat(database.query("SELECT version_num FROM alembic_version")).containsExactly(head);
        assertThat(database.query("SELECT indexname FROM pg_indexes WHERE tablename = 'accounts'"
                        + " AND indexname = 'ix_accounts_email'"))
                .hasSize(1);

        Job job = scenario.jobs().get(0);
        Container tool = job.getSpec().getTemplate().getSpec().getInitContainers().stream()
                .filter(container -> container.getName().equals(MigrationJob.TOOL_CONTAINER))
                .findFirst()
                .orElseThrow();
        assertThat(tool.getImage()).isEqualTo(app);
        assertThat(tool.getWorkingDir()).isEqualTo("/app");
        assertThat(tool.getCommand()).containsExactly("alembic");
        assertThat(tool.getArgs()).containsExactly("-c", "alembic.ini", "upgrade", "head");
        assertThat(tool.getEnv()).extracting(EnvVar::getName).containsExactly("SCHEMAGATE_TARGET");
        assertThat(Json.write(job)).doesNotContain(PASSWORD).doesNotContain("p%40ss");
        assertThat(Json.write(ready.getStatus())).doesNotContain(PASSWORD).doesNotContain("p%40ss");
    }

    @Test
    void aRolloutWaitsForTheRevisionsOfItsNewImageAndPodsAskingForAnAncestorAreAdmitted(TestNamespace namespace)
            throws Exception {
        String v1 = image("accounts", Map.of());
        // Slow enough that the new pod is seen waiting for it.
        String v2 = image(
                "accounts",
                Map.of(
                        NEXT,
                        "op.execute('SELECT pg_sleep(4)')\n"
                                + "    op.create_table('orders', sa.Column('id', sa.BigInteger, primary_key=True))"));
        Workloads.create(namespace, "accounts", v1, 1);
        scenario.apply("accounts", "unused", spec -> {
            alembic(spec, null);
            spec.getSource().setWorkload(accountsWorkload());
        });
        assertThat(scenario.awaitReady("accounts").getStatus().getRevision().getCurrent())
                .isEqualTo(REVISIONS.get(2));

        Pod ancestor = namespace
                .client()
                .pods()
                .inNamespace(namespace.name())
                .resource(GatingIT.pod("needs-first", "accounts", Map.of(Gating.REVISION_ANNOTATION, REVISIONS.get(0))))
                .create();
        Pod ahead = namespace
                .client()
                .pods()
                .inNamespace(namespace.name())
                .resource(GatingIT.pod("needs-next", "accounts", Map.of(Gating.REVISION_ANNOTATION, NEXT)))
                .create();
        assertThat(PodGate.isHeld(ancestor)).isFalse();
        assertThat(PodGate.isHeld(ahead)).isTrue();

        try (GateWatch gates = new GateWatch(namespace)) {
            Workloads.setImage(namespace, "accounts", v2);
            await("a pod of v2 held")
                    .atMost(Scenario.TIMEOUT)
                    .until(() -> gates.createdWith(v2).stream().anyMatch(gates::wasCreatedHeld));
            await("v2's pods and the pod asking for its revision released")
                    .atMost(Scenario.TIMEOUT)
                    .untilAsserted(() -> {
                        DatabaseMigration resource =
                                scenario.resource("accounts").get();
                        assertThat(resource.getStatus().getRevision().getCurrent())
                                .isEqualTo(NEXT);
                        assertThat(resource.getStatus().getRevision().getReached())
                                .startsWith(NEXT);
                        assertThat(resource.getStatus().getGatedPods()).isZero();
                    });
            assertThat(namespace
                            .client()
                            .pods()
                            .inNamespace(namespace.name())
                            .withName("needs-next")
                            .get()
                            .getSpec()
                            .getSchedulingGates())
                    .isNullOrEmpty();

            Workloads.setImage(namespace, "accounts", v1);
            await("a pod of v1 again")
                    .atMost(Scenario.TIMEOUT)
                    .until(() -> !gates.createdWith(v1).isEmpty());
            assertThat(gates.createdWith(v1)).noneMatch(gates::wasCreatedHeld);
        }
        assertThat(database.query("SELECT version_num FROM alembic_version")).containsExactly(NEXT);
    }

    /**
     * An env.py that reads the application's settings from a folder its environment names, as apps
     * with mounted Secrets do: it runs only with the container's env and volume, which the resource
     * opts in to, and the runner pod then runs as the application's service account too.
     */
    @Test
    void anEnvPyThatNeedsTheApplicationsSettingsRunsOnceTheResourceInheritsThem(TestNamespace namespace)
            throws Exception {
        String app = image("accounts", Map.of(), """
                import os as _os
                with open(_os.path.join(_os.environ["ACCOUNTS_SETTINGS"], "application_name")) as _settings:
                    if _settings.read().strip() != "accounts":
                        raise SystemExit("not the accounts settings")
                """);
        var client = namespace.client();
        client.serviceAccounts()
                .inNamespace(namespace.name())
                .resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("accounts")
                        .endMetadata()
                        .build())
                .create();
        client.secrets()
                .inNamespace(namespace.name())
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("accounts-settings")
                        .endMetadata()
                        .addToStringData("application_name", "accounts")
                        .build())
                .create();
        client.apps()
                .deployments()
                .inNamespace(namespace.name())
                .resource(accounts(
                        app,
                        "accounts",
                        "settings",
                        "accounts-settings",
                        "/etc/accounts",
                        new EnvVar("ACCOUNTS_SETTINGS", "/etc/accounts", null)))
                .create();
        scenario.apply("accounts", "unused", spec -> {
            alembic(spec, null);
            spec.getSource().setWorkload(accountsWorkload());
        });

        await("the run without the settings failed")
                .atMost(Scenario.TIMEOUT)
                .until(() -> Optional.ofNullable(
                                scenario.resource("accounts").get().getStatus())
                        .map(status -> status.getLastRun())
                        .map(RunStatus::getLogTail)
                        .orElse("")
                        .contains("ACCOUNTS_SETTINGS"));
        scenario.edit("accounts", resource -> {
            WorkloadInheritance inherit = new WorkloadInheritance();
            inherit.setEnv(true);
            inherit.setVolumes(List.of("settings"));
            inherit.setServiceAccount(true);
            resource.getSpec().getSource().getWorkload().setInherit(inherit);
        });

        DatabaseMigration ready = scenario.awaitReady("accounts");
        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo(REVISIONS.get(2));
        assertThat(ready.getStatus().getLastRun().getOutcome()).isEqualTo(Outcome.Succeeded);
        Job succeeded = scenario.jobs().stream()
                .filter(job -> job.getMetadata()
                        .getName()
                        .equals(ready.getStatus().getLastRun().getJob()))
                .findFirst()
                .orElseThrow();
        var pod = succeeded.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo("accounts");
        assertThat(pod.getInitContainers())
                .filteredOn(c -> c.getName().equals(MigrationJob.TOOL_CONTAINER))
                .singleElement()
                .satisfies(tool ->
                        assertThat(tool.getEnv()).extracting(EnvVar::getName).contains("ACCOUNTS_SETTINGS"));
    }

    /**
     * An application that verifies its database's TLS certificate with a CA from a mounted Secret,
     * named by libpq's PGSSLROOTCERT: the runner pod mounts the same Secret and verifies with it
     * (libpq verifies with sslmode=require once a root certificate is there). A CA that did not sign
     * the server's certificate fails the run in libpq's words; the right one lets it through.
     */
    @Test
    void theRunnerVerifiesTheDatabaseWithTheCertificateTheApplicationMounts(TestNamespace namespace) throws Exception {
        String app = image("accounts", Map.of());
        var client = namespace.client();
        var secrets = client.secrets().inNamespace(namespace.name());
        secrets.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("accounts-db-ca")
                        .endMetadata()
                        .addToStringData("ca.crt", TestBed.get().clusterCertificateAuthority())
                        .build())
                .create();
        client.apps()
                .deployments()
                .inNamespace(namespace.name())
                .resource(accounts(
                        app,
                        null,
                        "db-ca",
                        "accounts-db-ca",
                        "/etc/db-ca",
                        new EnvVar("PGSSLROOTCERT", "/etc/db-ca/ca.crt", null)))
                .create();
        scenario.apply("accounts", database.url() + "?sslmode=require", "unused", spec -> {
            WorkloadSource workload = accountsWorkload();
            WorkloadInheritance inherit = new WorkloadInheritance();
            inherit.setEnv(true);
            inherit.setVolumes(List.of("db-ca"));
            workload.setInherit(inherit);
            alembic(spec, null);
            spec.getSource().setWorkload(workload);
        });

        await("the run with the wrong CA failed")
                .atMost(Scenario.TIMEOUT)
                .until(() -> Optional.ofNullable(
                                scenario.resource("accounts").get().getStatus())
                        .map(status -> status.getLastRun())
                        .map(RunStatus::getLogTail)
                        .orElse("")
                        .contains("certificate verify failed"));
        assertThat(database.query(
                        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'alembic_version'"))
                .containsExactly("0");
        String rightCa = TestBed.get().postgresCertificateAuthority();
        secrets.withName("accounts-db-ca")
                .edit(secret -> new SecretBuilder(secret)
                        .withData(null)
                        .withStringData(Map.of("ca.crt", rightCa))
                        .build());
        // The Secret is the application's: a change of the resource asks for the run again.
        scenario.edit("accounts", resource -> resource.getSpec().getDatabase().setStatementTimeout("1h"));

        DatabaseMigration ready = scenario.awaitReady("accounts");
        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo(REVISIONS.get(2));
        assertThat(ready.getStatus().getLastRun().getOutcome()).isEqualTo(Outcome.Succeeded);
        assertThat(database.query("SELECT version_num FROM alembic_version")).containsExactly(REVISIONS.get(2));
    }

    @Test
    void aFailingRevisionShowsAlembicsOwnWordsAndNothingOfItIsLeft() throws Exception {
        String app = image(
                "accounts",
                Map.of(
                        NEXT,
                        "op.create_table('orders', sa.Column('id', sa.BigInteger,"
                                + " primary_key=True))\n    op.execute('ALTER TABLE nowhere ADD COLUMN note text')"));
        scenario.apply("accounts", "unused", spec -> alembic(spec, imageSource(app)));

        await("the run failed")
                .atMost(Scenario.TIMEOUT)
                .until(() -> Optional.ofNullable(
                                scenario.resource("accounts").get().getStatus())
                        .map(status -> status.getLastRun())
                        .map(RunStatus::getReason)
                        .orElse("")
                        .equals("CommandFailed"));

        DatabaseMigration failing = scenario.resource("accounts").get();
        RunStatus run = failing.getStatus().getLastRun();
        assertThat(run.getFailedMigration()).isEqualTo(NEXT);
        assertThat(run.getLogTail()).contains("nowhere").contains("does not exist");
        assertThat(Json.write(failing.getStatus())).doesNotContain(PASSWORD);
        // Alembic runs all of an upgrade in one transaction on PostgreSQL: the failure left nothing behind.
        assertThat(database.query("SELECT to_regclass('orders') IS NULL AND to_regclass('accounts') IS NULL"))
                .containsExactly("t");
        assertThat(failing.getStatus().getRevision().getCurrent()).isNull();
    }

    @Test
    void aTargetAmongTheReachedRevisionsRunsAlembicsDowngradeWhenAllowed(TestNamespace namespace) throws Exception {
        String app = image("accounts", Map.of());
        scenario.apply("accounts", "unused", spec -> alembic(spec, imageSource(app)));
        scenario.awaitReady("accounts");

        scenario.edit("accounts", resource -> {
            resource.getSpec().setTarget(REVISIONS.get(0));
            resource.getSpec().setDowngrade(new DowngradeSpec(true));
        });
        await("migrated down")
                .atMost(Scenario.TIMEOUT)
                .until(() -> REVISIONS
                        .get(0)
                        .equals(scenario.resource("accounts")
                                .get()
                                .getStatus()
                                .getRevision()
                                .getCurrent()));

        DatabaseMigration down = scenario.awaitReady("accounts");
        RunStatus run = down.getStatus().getLastRun();
        assertThat(run.getDirection()).isEqualTo("Down");
        assertThat(run.getFrom()).isEqualTo(REVISIONS.get(2));
        assertThat(run.getApplied()).as("revisions reverted").isEqualTo(2);
        assertThat(down.getStatus().getRevision().getReached()).containsExactly(REVISIONS.get(0));
        assertThat(database.query("SELECT version_num FROM alembic_version")).containsExactly(REVISIONS.get(0));
        assertThat(database.query("SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts'"
                        + " AND column_name = 'email'"))
                .containsExactly("0");
        assertThat(scenario.jobs())
                .flatExtracting(job -> job.getSpec().getTemplate().getSpec().getInitContainers())
                .filteredOn(container -> container.getName().equals(MigrationJob.TOOL_CONTAINER))
                .extracting(container -> String.join(" ", container.getArgs()))
                .containsExactlyInAnyOrder(
                        "-c alembic.ini upgrade head", "-c alembic.ini downgrade " + REVISIONS.get(0));
        Pod needsIndex = namespace
                .client()
                .pods()
                .inNamespace(namespace.name())
                .resource(GatingIT.pod("needs-index", "accounts", Map.of(Gating.REVISION_ANNOTATION, REVISIONS.get(2))))
                .create();
        assertThat(PodGate.isHeld(needsIndex)).as("its revision was reverted").isTrue();
    }

    @Test
    void aDatabaseBuiltWithoutAlembicIsStampedThenUpgradedFromThere() throws Exception {
        // What the first two revisions make, made by hand: running them would fail on it.
        scenario.sql("CREATE TABLE accounts (id integer PRIMARY KEY, name varchar(100) NOT NULL, created_at"
                + " timestamptz NOT NULL DEFAULT now(), email varchar(255)); ALTER TABLE accounts OWNER TO "
                + MIGRATOR);
        String app = image("accounts", Map.of());
        scenario.apply("accounts", "unused", spec -> {
            alembic(spec, imageSource(app));
            spec.setAdopt(new AdoptSpec(REVISIONS.get(1)));
        });

        DatabaseMigration ready = scenario.awaitReady("accounts");

        assertThat(ready.getStatus().getAdoption().getVersion()).isEqualTo(REVISIONS.get(1));
        assertThat(ready.getStatus().getLastRun().getAdopted()).isEqualTo(REVISIONS.get(1));
        assertThat(ready.getStatus().getLastRun().getApplied()).isEqualTo(1);
        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo(REVISIONS.get(2));
        assertThat(database.query("SELECT indexname FROM pg_indexes WHERE indexname = 'ix_accounts_email'"))
                .hasSize(1);
        // The image is mounted (the bed's Kubernetes is 1.35), so nothing copies before the stamp.
        assertThat(scenario.jobs().get(0).getSpec().getTemplate().getSpec().getInitContainers())
                .extracting(Container::getName)
                .containsExactly(MigrationJob.ADOPT_CONTAINER, MigrationJob.TOOL_CONTAINER);
    }

    @Test
    void anImageWithoutAlembicStallsWithItsOwnReason() throws Exception {
        String app = TestImages.repository("plain") + ":1.0";
        TestImages.image(app, Map.of("alembic.ini", "[alembic]\nscript_location = migrations\n"));
        scenario.apply("accounts", "unused", spec -> {
            ImageSource source = imageSource(app);
            source.setPath(TestImages.MIGRATIONS);
            alembic(spec, source);
        });

        DatabaseMigration stalled = scenario.awaitCondition("accounts", "Stalled", "ToolNotFound");

        assertThat(Scenario.condition(stalled, "Stalled").orElseThrow().getMessage())
                .contains("could not be started");
        assertThat(scenario.jobs()).hasSize(1);
    }

    @Test
    void theExampleReplacesItsInitContainerAndItsPodsAreReleased(TestNamespace namespace) throws Exception {
        Path example = Path.of("examples/alembic");
        Tools.alembicImage(example.resolve("app"), TestBed.get().imageRoot("example.com/accounts:1.0"));
        namespace
                .client()
                .secrets()
                .inNamespace(namespace.name())
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("accounts-db")
                        .endMetadata()
                        .addToStringData("url", database.url())
                        .addToStringData("username", MIGRATOR)
                        .addToStringData("password", PASSWORD)
                        .build())
                .create();
        for (String manifest : List.of("deployment.yaml", "databasemigration.yaml")) {
            try (InputStream yaml = Files.newInputStream(example.resolve(manifest))) {
                namespace.client().load(yaml).inNamespace(namespace.name()).create();
            }
        }

        DatabaseMigration ready = scenario.awaitReady("accounts");

        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo(REVISIONS.get(2));
        await("the Deployment's pods released")
                .atMost(Scenario.TIMEOUT)
                .untilAsserted(() -> assertThat(namespace
                                .client()
                                .pods()
                                .inNamespace(namespace.name())
                                .withLabel("app", "accounts")
                                .list()
                                .getItems())
                        .hasSize(2)
                        .allSatisfy(pod ->
                                assertThat(pod.getSpec().getSchedulingGates()).isNullOrEmpty()));
    }

    /**
     * The application's Deployment, one pod: its container app runs the image with one variable and
     * mounts the Secret {@code secret} read-only at {@code folder}, as the pod's volume {@code volume}.
     *
     * @param serviceAccount null for the namespace's default
     */
    private static Deployment accounts(
            String app, @Nullable String serviceAccount, String volume, String secret, String folder, EnvVar variable) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName("accounts")
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .addToMatchLabels("app", "accounts")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "accounts")
                .endMetadata()
                .withNewSpec()
                .withServiceAccountName(serviceAccount)
                .addNewVolume()
                .withName(volume)
                .withNewSecret()
                .withSecretName(secret)
                .endSecret()
                .endVolume()
                .addNewContainer()
                .withName("app")
                .withImage(app)
                .withEnv(variable)
                .addNewVolumeMount()
                .withName(volume)
                .withMountPath(folder)
                .withReadOnly(true)
                .endVolumeMount()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** The scripts of the accounts Deployment's image, under /app. */
    private static WorkloadSource accountsWorkload() {
        WorkloadSource workload = new WorkloadSource();
        workload.setName("accounts");
        workload.setPath("/app");
        return workload;
    }

    /**
     * An image of the sample application with further revisions after its head, each a body of
     * upgrade(): in a folder of its own, built as testbed/tools/alembic-image.sh lays it out.
     */
    private String image(String name, Map<String, String> next) throws IOException {
        return image(name, next, "");
    }

    /** The same, with {@code envPyFirst} run at the start of its env.py. */
    private String image(String name, Map<String, String> next, String envPyFirst) throws IOException {
        Path app = work.resolve(name + "-" + next.size() + "-" + System.nanoTime());
        copy(Tools.alembicApplication(), app);
        Path envPy = app.resolve("migrations/env.py");
        Files.writeString(envPy, envPyFirst + Files.readString(envPy));
        String parent = REVISIONS.get(2);
        for (var revision : next.entrySet()) {
            Files.writeString(
                    app.resolve("migrations/versions/" + revision.getKey() + "_next.py"),
                    "\"\"\"next\"\"\"\n"
                            + "from alembic import op\nimport sqlalchemy as sa\n\nrevision = '" + revision.getKey()
                            + "'\n"
                            + "down_revision = '" + parent + "'\nbranch_labels = None\ndepends_on = None\n\n\n"
                            + "def upgrade():\n    " + revision.getValue() + "\n\n\ndef downgrade():\n    pass\n");
            parent = revision.getKey();
        }
        String ref = TestImages.repository(name) + ":" + (REVISIONS.size() + next.size());
        Tools.alembicImage(app, TestBed.get().imageRoot(ref));
        return ref;
    }

    private static ImageSource imageSource(String ref) {
        ImageSource image = new ImageSource();
        image.setRef(ref);
        image.setPath("/app");
        return image;
    }

    private static void alembic(DatabaseMigrationSpec spec, ImageSource image) {
        spec.setEngine(Engine.alembic);
        spec.getSource().setConfigMaps(null);
        spec.getSource().setImage(image);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
