package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a namespace's policies do to migration Jobs: a quota that refuses them, Pod Security that vets their pods. */
@ExtendWith(TestNamespace.Extension.class)
class NamespacePolicyIT {
    private static final String JOB_COUNT = "count/jobs.batch";

    @RegisterExtension
    static final SharedOperator operator = new SharedOperator();

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    private Scenario scenario;
    private JobLedger jobs;

    @BeforeEach
    void setUp(TestNamespace namespace) {
        scenario = new Scenario(namespace, database);
        scenario.credentials();
        scenario.scripts("migrations", DatabaseMigrationIT.THREE);
        jobs = new JobLedger(namespace);
    }

    @AfterEach
    void tearDown() {
        jobs.close();
    }

    @Test
    void aQuotaThatForbidsJobsIsReportedWithTheServersWordsUntilItIsLifted(TestNamespace namespace) {
        Resource<ResourceQuota> quota = namespace
                .client()
                .resourceQuotas()
                .inNamespace(namespace.name())
                .resource(new ResourceQuotaBuilder()
                        .withNewMetadata()
                        .withName("no-jobs")
                        .endMetadata()
                        .withNewSpec()
                        .addToHard(JOB_COUNT, new Quantity("0"))
                        .endSpec()
                        .build());
        quota.create();
        // Until the quota controller has counted, admission refuses with "status unknown" instead.
        await("quota counted")
                .atMost(Scenario.TIMEOUT)
                .until(() -> quota.get().getStatus() != null
                        && quota.get().getStatus().getHard() != null
                        && quota.get().getStatus().getHard().containsKey(JOB_COUNT));

        scenario.apply("orders", "migrations", spec -> {});

        DatabaseMigration rejected = scenario.awaitCondition("orders", "Reconciling", "JobRejected");
        assertThat(Scenario.condition(rejected, "Ready").orElseThrow().getMessage())
                .contains("exceeded quota: no-jobs")
                .contains(JOB_COUNT)
                .contains("retrying in");
        scenario.awaitEvents("orders", "JobRejected");
        assertThat(jobs.created()).isEmpty();

        quota.delete();
        assertThat(scenario.awaitReady("orders").getStatus().getRevision().getCurrent())
                .isEqualTo("3");
        jobs.assertRunsSucceededOnce(1);
    }

    @Test
    void aNamespaceEnforcingRestrictedPodSecurityAdmitsTheRunnerPod(TestNamespace namespace) {
        namespace.client().namespaces().withName(namespace.name()).edit(ns -> {
            ns.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "restricted");
            return ns;
        });
        // The policy is enforced on the bed: a pod that asks for nothing is refused.
        assertThatThrownBy(() -> namespace
                        .client()
                        .pods()
                        .inNamespace(namespace.name())
                        .resource(new PodBuilder()
                                .withNewMetadata()
                                .withName("careless")
                                .endMetadata()
                                .withNewSpec()
                                .addNewContainer()
                                .withName("app")
                                .withImage("nginx:1.27")
                                .endContainer()
                                .endSpec()
                                .build())
                        .create())
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("violates PodSecurity");

        scenario.apply("orders", "migrations", spec -> {});

        assertThat(scenario.awaitReady("orders").getStatus().getRevision().getCurrent())
                .isEqualTo("3");
        jobs.assertRunsSucceededOnce(1);
    }
}
