package io.schemagate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.api.ImageSource;
import io.schemagate.api.JobSpec;
import io.schemagate.api.PolicySpec;
import io.schemagate.contract.Outcome;
import io.schemagate.gate.Gating;
import io.schemagate.it.Scenario;
import io.schemagate.policy.PolicyAction;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.Corpora;
import io.schemagate.testsupport.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The installed operator on the real node, where faults are real too: its two replicas and their
 * lease, the webhook reached through its Service, a distroless image read as an image volume, the
 * leader deleted during a run, the runner's memory with the largest published set, and what a user
 * sees when an image cannot be pulled, a runner exceeds its memory limit, or the webhook's Service
 * has no endpoints.
 */
class OperatorOnRealNodeIT {
    private static final String IMAGES = "e2e-images";
    private static final String FAULTS = "e2e-faults";

    @RegisterExtension
    static final InstalledOperator operator = new InstalledOperator("operator", List.of(IMAGES, FAULTS));

    private static final long DEFAULT_RUNNER_LIMIT = 512L * 1024 * 1024;

    private final Cluster cluster = new Cluster();
    private TestDatabases database;

    @BeforeEach
    void database() throws Exception {
        database = TestDatabases.fresh();
        for (String ns : List.of(IMAGES, FAULTS)) {
            new Scenario(new TestNamespace(ns, cluster.client, cluster.bed), database).credentials();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String ns : List.of(IMAGES, FAULTS)) {
            cluster.client.resources(DatabaseMigration.class).inNamespace(ns).delete();
            await("migrations of " + ns + " gone")
                    .atMost(Cluster.TIMEOUT)
                    .until(() -> cluster.client
                            .resources(DatabaseMigration.class)
                            .inNamespace(ns)
                            .list()
                            .getItems()
                            .isEmpty());
        }
        database.drop();
    }

    @Test
    void twoReplicasRunOneLeadsAndTheWebhookIsReachedThroughItsService() {
        List<Pod> replicas = operator.pods(cluster.client).stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
                .toList();
        assertThat(replicas).hasSize(2).allMatch(cluster::runsOnTheNode);
        Lease lease = cluster.client
                .leases()
                .inNamespace(operator.namespace())
                .withName(InstalledOperator.RELEASE + "-operator")
                .get();
        assertThat(replicas)
                .extracting(pod -> pod.getMetadata().getName())
                .contains(lease.getSpec().getHolderIdentity());
        MutatingWebhookConfiguration webhook = cluster.client
                .admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName(InstalledOperator.RELEASE)
                .get();
        assertThat(webhook.getWebhooks().get(0).getClientConfig().getService().getName())
                .isEqualTo(InstalledOperator.RELEASE + "-webhook");
        assertThat(webhook.getWebhooks().get(0).getClientConfig().getCaBundle())
                .as("the self-managed CA, published by the operator")
                .isNotBlank();
    }

    /** An image with nothing but scripts in it, mounted read-only as an image volume by containerd. */
    @Test
    void aDistrolessImageIsReadAsAnImageVolume() {
        apply(
                IMAGES,
                "scripts",
                "unused",
                spec -> fromImage(spec, "example.com/orders-scripts:1.0", ImageSource.Mount.Volume));

        DatabaseMigration ready = cluster.awaitReady(IMAGES, "scripts");

        assertThat(ready.getStatus().getRevision().getCurrent()).isEqualTo("2");
        Job job = cluster.jobs(IMAGES).get(0);
        assertThat(job.getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(volume -> volume.getImage() != null)
                .singleElement()
                .satisfies(volume ->
                        assertThat(volume.getImage().getReference()).isEqualTo("example.com/orders-scripts:1.0"));
        cluster.jobPods(IMAGES, job).forEach(cluster::assertRanInAContainer);
    }

    /** The change policy in the operator's pod: PostgreSQL's parser, loaded from where the image keeps it. */
    @Test
    void theChangePolicyParsesWithPostgresOwnParserInsideTheImage() throws Exception {
        database.execute("CREATE TABLE orders (id bigint, note text)");
        scripts(
                FAULTS,
                "drop",
                Map.of("V1__drop_note.sql", "-- Moved to order_notes.\nALTER TABLE orders DROP COLUMN note;\n"));
        apply(FAULTS, "drop", "drop", spec -> {
            spec.setPolicy(new PolicySpec());
            spec.getPolicy().setDestructive(PolicyAction.Refuse);
        });

        DatabaseMigration refused = cluster.awaitCondition(FAULTS, "drop", "Stalled", "True", "PolicyViolation");

        assertThat(refused.getStatus().getFindings()).singleElement().satisfies(finding -> {
            assertThat(finding.getScript()).isEqualTo("V1__drop_note.sql");
            assertThat(finding.getLine()).isEqualTo(2);
            assertThat(finding.getRule()).isEqualTo("drop-column");
        });
        assertThat(cluster.jobs(FAULTS)).as("nothing ran").isEmpty();
    }

    /** The leading replica deleted while its run is in progress: the standby finishes the work once. */
    @Test
    void theStandbyTakesOverWhenTheLeaderIsDeletedDuringARun() throws Exception {
        scripts(
                FAULTS,
                "slow",
                Map.of(
                        "V1__slow.sql", "SELECT pg_sleep(8);\nCREATE TABLE slow (id int);\n",
                        "V2__after.sql", "CREATE TABLE after_slow (id int);\n"));
        apply(FAULTS, "slow", "slow", spec -> {});
        await("the runner at work")
                .atMost(Cluster.TIMEOUT)
                .until(() -> cluster.jobs(FAULTS).stream()
                        .flatMap(job -> cluster.jobPods(FAULTS, job).stream())
                        .anyMatch(pod -> "Running".equals(pod.getStatus().getPhase())));
        String leader = cluster.client
                .leases()
                .inNamespace(operator.namespace())
                .withName(InstalledOperator.RELEASE + "-operator")
                .get()
                .getSpec()
                .getHolderIdentity();

        cluster.client.pods().inNamespace(operator.namespace()).withName(leader).delete();

        DatabaseMigration ready = cluster.awaitReady(FAULTS, "slow");
        assertThat(cluster.client
                        .leases()
                        .inNamespace(operator.namespace())
                        .withName(InstalledOperator.RELEASE + "-operator")
                        .get()
                        .getSpec()
                        .getHolderIdentity())
                .isNotEqualTo(leader);
        assertThat(cluster.jobs(FAULTS)).as("one run").hasSize(1);
        assertThat(ready.getStatus().getHistory()).singleElement().satisfies(run -> {
            assertThat(run.getOutcome()).isEqualTo(Outcome.Succeeded);
            assertThat(run.getApplied()).isEqualTo(2);
        });
        assertThat(database.query(
                        "SELECT version || ' ' || success FROM flyway_schema_history ORDER BY installed_rank"))
                .containsExactly("1 true", "2 true");
    }

    /** Dependency-Track's published set, the largest here, within the runner's default memory limit. */
    @Test
    void theRunnerStaysUnderItsDefaultMemoryLimitWithTheLargestPublishedSet() throws Exception {
        Path folder = Corpora.folder("flyway-dependencytrack/migration");
        Map<String, String> corpus = new HashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                corpus.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        scripts(FAULTS, "dependency-track", corpus);
        apply(FAULTS, "dtrack", "dependency-track", spec -> {});

        cluster.awaitReady(FAULTS, "dtrack");

        Pod runner = cluster.jobPods(FAULTS, cluster.jobs(FAULTS).get(0)).get(0);
        cluster.assertRanInAContainer(runner);
        long peak = cluster.node.peakMemoryBytes(runner);
        System.out.printf(
                "runner on the real node, Dependency-Track (%d scripts): peak memory %d MiB of %d MiB%n",
                corpus.size(), peak >> 20, DEFAULT_RUNNER_LIMIT >> 20);
        assertThat(peak).isPositive().isLessThan(DEFAULT_RUNNER_LIMIT);
    }

    @Test
    void anImageTheNodeCannotPullIsNamed() {
        apply(
                FAULTS,
                "unpullable",
                "unused",
                spec -> fromImage(spec, "example.com/missing:1.0", ImageSource.Mount.Copy));

        await("the pull failure named")
                .atMost(Cluster.TIMEOUT)
                .untilAsserted(
                        () -> assertThat(Cluster.condition(cluster.migration(FAULTS, "unpullable"), "Reconciling"))
                                .hasValueSatisfying(condition -> assertThat(condition.getMessage())
                                        .containsAnyOf("ErrImagePull", "ImagePullBackOff")
                                        .contains("example.com/missing:1.0")));
    }

    @Test
    void aRunnerKilledByItsMemoryLimitIsNamed() {
        scripts(FAULTS, "small", Map.of("V1__t.sql", "CREATE TABLE t (id int);\n"));
        apply(FAULTS, "starved", "small", spec -> {
            JobSpec job = new JobSpec();
            job.setResources(new ResourceRequirementsBuilder()
                    .addToLimits("memory", new Quantity("24Mi"))
                    .addToRequests("memory", new Quantity("24Mi"))
                    .build());
            spec.setJob(job);
        });

        await("the OOM kill named")
                .atMost(Cluster.TIMEOUT)
                .untilAsserted(() -> assertThat(
                                cluster.migration(FAULTS, "starved").getStatus().getLastRun())
                        .isNotNull()
                        .satisfies(run -> assertThat(run.getMessage())
                                .contains("OOMKilled")
                                .contains("spec.job.resources.limits.memory")));
    }

    /**
     * The webhook's Service with no endpoints: the API server refuses opted-in pods (failure policy
     * Fail), and the Deployment's ReplicaSet says why in its ReplicaFailure condition.
     */
    @Test
    void aWebhookServiceWithoutEndpointsIsNamed() {
        var service = cluster.client
                .services()
                .inNamespace(operator.namespace())
                .withName(InstalledOperator.RELEASE + "-webhook");
        Map<String, String> selector = service.get().getSpec().getSelector();
        service.edit(s -> withSelector(s, Map.of("app.kubernetes.io/name", "nobody")));
        try {
            cluster.client
                    .apps()
                    .deployments()
                    .inNamespace(FAULTS)
                    .resource(new DeploymentBuilder()
                            .withNewMetadata()
                            .withName("waits")
                            .endMetadata()
                            .withNewSpec()
                            .withNewSelector()
                            .addToMatchLabels("app", "waits")
                            .endSelector()
                            .withNewTemplate()
                            .withNewMetadata()
                            .addToLabels("app", "waits")
                            .addToLabels(Gating.MIGRATION_LABEL, "nothing")
                            .endMetadata()
                            .withSpec(RealNode.restrictedSpec("example.com/shop:1.0"))
                            .endTemplate()
                            .endSpec()
                            .build())
                    .create();

            await("the ReplicaSet's failure names the webhook Service")
                    .atMost(Cluster.TIMEOUT)
                    .untilAsserted(() -> assertThat(cluster.client
                                    .apps()
                                    .replicaSets()
                                    .inNamespace(FAULTS)
                                    .withLabel("app", "waits")
                                    .list()
                                    .getItems())
                            .singleElement()
                            .extracting(ReplicaSet::getStatus)
                            .satisfies(status -> assertThat(status.getConditions())
                                    .anySatisfy(condition -> {
                                        assertThat(condition.getType()).isEqualTo("ReplicaFailure");
                                        assertThat(condition.getMessage())
                                                .contains("pods.schemagate.io")
                                                .contains("no endpoints available for service")
                                                .contains(InstalledOperator.RELEASE + "-webhook");
                                    })));
            assertThat(cluster.pods(FAULTS, Map.of("app", "waits")))
                    .as("no pod started ungated")
                    .isEmpty();
        } finally {
            service.edit(s -> withSelector(s, selector));
            cluster.client
                    .apps()
                    .deployments()
                    .inNamespace(FAULTS)
                    .withName("waits")
                    .delete();
        }
    }

    private static Service withSelector(Service service, Map<String, String> selector) {
        service.getSpec().setSelector(selector);
        return service;
    }

    private void scripts(String ns, String name, Map<String, String> scripts) {
        cluster.client
                .configMaps()
                .inNamespace(ns)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withData(scripts)
                        .build())
                .serverSideApply();
    }

    private void apply(String ns, String name, String configMap, Consumer<DatabaseMigrationSpec> customize) {
        cluster.client
                .resources(DatabaseMigration.class)
                .inNamespace(ns)
                .resource(Scenario.resourceFor(name, cluster.node.jdbcUrl(database.name()), configMap, customize))
                .create();
    }

    private static void fromImage(DatabaseMigrationSpec spec, String ref, ImageSource.Mount mount) {
        ImageSource image = new ImageSource();
        image.setRef(ref);
        image.setPath("/app/db/migration");
        image.setMount(mount);
        spec.getSource().setConfigMaps(null);
        spec.getSource().setImage(image);
    }
}
