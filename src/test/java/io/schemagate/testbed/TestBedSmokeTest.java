package io.schemagate.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.schemagate.testsupport.TestDatabases;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Proves the bed is a real cluster: the behaviors SchemaGate relies on, observed on it. */
@ExtendWith(TestNamespace.Extension.class)
class TestBedSmokeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void serverReportsThePinnedKubernetesVersion() throws Exception {
        String goMod = Files.readString(TestBed.projectRoot().resolve("testbed/k8s/go.mod"));
        String pinned = goMod.lines()
                .map(String::trim)
                .filter(l -> l.startsWith("k8s.io/kubernetes v"))
                .findFirst()
                .orElseThrow()
                .split("\\s+", -1)[1];

        assertThat(TestBed.get().client().getKubernetesVersion().getGitVersion())
                .isEqualTo(pinned);
    }

    @Test
    void deploymentPodsAreScheduledOntoTheFakeNodeAndBecomeReady(TestNamespace ns) {
        ns.client()
                .apps()
                .deployments()
                .inNamespace(ns.name())
                .resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName("web")
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(2)
                        .withNewSelector()
                        .addToMatchLabels("app", "web")
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .addToLabels("app", "web")
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("web")
                        .withImage("nginx:1.27")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            List<Pod> pods = ns.client()
                    .pods()
                    .inNamespace(ns.name())
                    .withLabel("app", "web")
                    .list()
                    .getItems();
            assertThat(pods).hasSize(2).allSatisfy(pod -> {
                assertThat(pod.getSpec().getNodeName()).isEqualTo("bed-node");
                assertThat(condition(pod, "Ready"))
                        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
            });
        });
        await().atMost(TIMEOUT)
                .until(
                        () -> ns.client()
                                .apps()
                                .deployments()
                                .inNamespace(ns.name())
                                .withName("web")
                                .get()
                                .getStatus()
                                .getAvailableReplicas(),
                        available -> Integer.valueOf(2).equals(available));
    }

    @Test
    void gatedPodWaitsUntilItsSchedulingGateIsRemoved(TestNamespace ns) {
        var pods = ns.client().pods().inNamespace(ns.name());
        pods.resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("gated")
                        .endMetadata()
                        .withNewSpec()
                        .addNewSchedulingGate("example.com/hold")
                        .addNewContainer()
                        .withName("app")
                        .withImage("nginx:1.27")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();

        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(condition(pods.withName("gated").get(), "PodScheduled"))
                        .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("SchedulingGated")));
        assertThat(pods.withName("gated").get().getSpec().getNodeName()).isNull();

        pods.withName("gated").patch(PatchContext.of(PatchType.JSON), """
                [{"op": "test", "path": "/spec/schedulingGates/0/name", "value": "example.com/hold"},
                  {"op": "remove", "path": "/spec/schedulingGates/0"}]""");

        await().atMost(TIMEOUT).untilAsserted(() -> {
            Pod pod = pods.withName("gated").get();
            assertThat(pod.getSpec().getNodeName()).isEqualTo("bed-node");
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        });
    }

    @Test
    void jobWhosePodSucceedsCompletesWithItsTerminationMessage(TestNamespace ns) {
        createJob(ns, "ok", "echo working; printf finished > /dev/termination-log");

        await().atMost(TIMEOUT).until(() -> jobCondition(ns, "ok", "Complete"));
        ContainerStateTerminated terminated = terminatedState(ns, "ok");
        assertThat(terminated.getExitCode()).isZero();
        assertThat(terminated.getMessage()).isEqualTo("finished");
    }

    @Test
    void jobWhosePodFailsIsMarkedFailedWithTheExitCode(TestNamespace ns) {
        createJob(ns, "broken", "exit 3");

        await().atMost(TIMEOUT).until(() -> jobCondition(ns, "broken", "Failed"));
        assertThat(terminatedState(ns, "broken").getExitCode()).isEqualTo(3);
    }

    @Test
    void crdValidationRuleRejectsABadObjectWithTheRuleMessage(TestNamespace ns) throws Exception {
        CustomResourceDefinition crd = Serialization.unmarshal("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: ranges.smoke.schemagate.io}
                spec:
                  group: smoke.schemagate.io
                  scope: Namespaced
                  names: {plural: ranges, singular: range, kind: Range}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            x-kubernetes-validations:
                            - rule: self.min <= self.max
                              message: min must not exceed max
                            properties:
                              min: {type: integer}
                              max: {type: integer}
                """, CustomResourceDefinition.class);
        var crds = ns.client().apiextensions().v1().customResourceDefinitions();
        crds.resource(crd).createOr(existing -> existing.update());
        await().atMost(TIMEOUT)
                .until(() -> crds.withName(crd.getMetadata().getName()).get().getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals("Established")
                                && c.getStatus().equals("True")));

        ResourceDefinitionContext ranges = new ResourceDefinitionContext.Builder()
                .withGroup("smoke.schemagate.io")
                .withVersion("v1")
                .withPlural("ranges")
                .withKind("Range")
                .withNamespaced(true)
                .build();
        GenericKubernetesResource bad = new GenericKubernetesResourceBuilder()
                .withApiVersion("smoke.schemagate.io/v1")
                .withKind("Range")
                .withNewMetadata()
                .withName("bad")
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("min", 5, "max", 1)))
                .build();

        assertThatThrownBy(() -> ns.client()
                        .genericKubernetesResources(ranges)
                        .inNamespace(ns.name())
                        .resource(bad)
                        .create())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(422))
                .hasMessageContaining("min must not exceed max");
    }

    @Test
    void jobPodReadsWhatAnEarlierJobPodWroteIntoAPersistentVolumeClaim(TestNamespace ns) {
        ns.client()
                .persistentVolumeClaims()
                .inNamespace(ns.name())
                .resource(new PersistentVolumeClaimBuilder()
                        .withNewMetadata()
                        .withName("shared")
                        .endMetadata()
                        .withNewSpec()
                        .withAccessModes("ReadWriteOnce")
                        .withNewResources()
                        .addToRequests("storage", new Quantity("1Mi"))
                        .endResources()
                        .endSpec()
                        .build())
                .create();

        createJobWithClaim(ns, "writer", "printf hello > /data/greeting", "shared");
        await().atMost(TIMEOUT).until(() -> jobCondition(ns, "writer", "Complete"));
        createJobWithClaim(ns, "reader", "cat /data/greeting > /dev/termination-log", "shared");
        await().atMost(TIMEOUT).until(() -> jobCondition(ns, "reader", "Complete"));

        assertThat(terminatedState(ns, "reader").getMessage()).isEqualTo("hello");
        assertThat(ns.client()
                        .persistentVolumeClaims()
                        .inNamespace(ns.name())
                        .withName("shared")
                        .get()
                        .getStatus())
                .satisfies(status -> assertThat(status.getPhase()).isEqualTo("Bound"))
                .satisfies(status -> assertThat(status.getCapacity()).containsEntry("storage", new Quantity("1Mi")));
    }

    @Test
    void postgresStoppedAndStartedAgainStillHasItsDatabases() throws Exception {
        TestBed bed = TestBed.get();
        TestDatabases database = TestDatabases.fresh();
        try {
            try (Connection connection = database.connect();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE survivor (name text); INSERT INTO survivor VALUES ('kept')");
            }

            bed.stopPostgres();
            try {
                assertThatThrownBy(database::connect).isInstanceOf(SQLException.class);
            } finally {
                bed.startPostgres(); // the rest of the suite needs the server
            }

            try (Connection connection = database.connect();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT name FROM survivor")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("kept");
            }
        } finally {
            database.drop();
        }
    }

    @Test
    void apiServerRestartedKeepsItsObjectsAndClientsReconnect(TestNamespace ns) {
        var configMaps = ns.client().configMaps().inNamespace(ns.name());
        configMaps
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("before-restart")
                        .endMetadata()
                        .addToData("kept", "yes")
                        .build())
                .create();

        TestBed.get().restartApiServer();

        assertThat(configMaps.withName("before-restart").get().getData()).containsEntry("kept", "yes");
    }

    private static void createJob(TestNamespace ns, String name, String script) {
        createJob(ns, name, script, List.of(), List.of());
    }

    /** A Job whose container has the claim mounted on /data. */
    private static void createJobWithClaim(TestNamespace ns, String name, String script, String claim) {
        createJob(
                ns,
                name,
                script,
                List.of(new VolumeBuilder()
                        .withName("data")
                        .withNewPersistentVolumeClaim()
                        .withClaimName(claim)
                        .endPersistentVolumeClaim()
                        .build()),
                List.of(new VolumeMountBuilder()
                        .withName("data")
                        .withMountPath("/data")
                        .build()));
    }

    private static void createJob(
            TestNamespace ns, String name, String script, List<Volume> volumes, List<VolumeMount> mounts) {
        ns.client()
                .batch()
                .v1()
                .jobs()
                .inNamespace(ns.name())
                .resource(new JobBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withNewSpec()
                        .withBackoffLimit(0)
                        .withNewTemplate()
                        .withNewSpec()
                        .withRestartPolicy("Never")
                        .withVolumes(volumes)
                        .addNewContainer()
                        .withName("main")
                        .withImage("busybox:1.36")
                        .withCommand("sh", "-c", script)
                        .withVolumeMounts(mounts)
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
    }

    private static boolean jobCondition(TestNamespace ns, String job, String type) {
        Job current = ns.client()
                .batch()
                .v1()
                .jobs()
                .inNamespace(ns.name())
                .withName(job)
                .get();
        List<JobCondition> conditions =
                current.getStatus() == null ? List.of() : current.getStatus().getConditions();
        return conditions.stream()
                .anyMatch(c -> c.getType().equals(type) && c.getStatus().equals("True"));
    }

    private static ContainerStateTerminated terminatedState(TestNamespace ns, String job) {
        Pod pod = ns.client()
                .pods()
                .inNamespace(ns.name())
                .withLabel("batch.kubernetes.io/job-name", job)
                .list()
                .getItems()
                .get(0);
        return pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    }

    private static Optional<PodCondition> condition(Pod pod, String type) {
        return pod.getStatus() == null
                ? Optional.empty()
                : pod.getStatus().getConditions().stream()
                        .filter(c -> c.getType().equals(type))
                        .findFirst();
    }
}
