package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two replicas with leader election, as the chart runs them: one reconciles, the other stands by
 * (ready, so that it serves the webhook), takes over when the leader stops, and a replica that
 * loses the lease exits.
 */
@ExtendWith(TestNamespace.Extension.class)
class LeaderElectionIT {
    private static final String LEASE = "schemagate-operator";
    private static final Duration TAKEOVER = Duration.ofSeconds(60);

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    @Test
    void oneReplicaReconcilesAndTheOtherTakesOver(TestNamespace namespace) throws Exception {
        Scenario scenario = new Scenario(namespace, database);
        scenario.credentials();
        scenario.scripts("migrations", DatabaseMigrationIT.THREE);
        Resource<Lease> lease =
                namespace.client().leases().inNamespace(namespace.name()).withName(LEASE);

        try (OperatorProcess a = replica(namespace, "replica-a");
                OperatorProcess b = replica(namespace, "replica-b")) {
            await("a leader").atMost(TAKEOVER).until(() -> holder(lease) != null);
            OperatorProcess leader = holder(lease).equals("replica-a") ? a : b;
            OperatorProcess standby = leader == a ? b : a;
            String standbyName = leader == a ? "replica-b" : "replica-a";
            assertThat(a.get("/q/health/ready").statusCode()).isEqualTo(200);
            assertThat(b.get("/q/health/ready").statusCode()).isEqualTo(200);

            scenario.apply("first", "migrations", spec -> {});
            scenario.awaitReady("first");
            assertThat(leader.log()).contains("first: started Job");
            assertThat(standby.log()).doesNotContain("started Job");

            leader.close();
            await("the standby leads").atMost(TAKEOVER).until(() -> standbyName.equals(holder(lease)));
            // A schema of its own: a resource the old leader never saw, and no run of the first one's.
            scenario.apply("second", "migrations", spec -> spec.getDatabase().setSchemas(List.of("second")));
            scenario.awaitReady("second");
            assertThat(standby.log()).contains("second: started Job");
        }
    }

    @Test
    void aLeaderThatLosesTheLeaseExits(TestNamespace namespace) {
        Resource<Lease> lease =
                namespace.client().leases().inNamespace(namespace.name()).withName(LEASE);
        try (OperatorProcess leader = replica(namespace, "replica-a")) {
            await("leading").atMost(TAKEOVER).until(() -> "replica-a".equals(holder(lease)));

            // Another holder with a fresh, long lease: the leader cannot renew it. Again when a
            // renewal by the leader came in between.
            await("lease taken")
                    .atMost(TAKEOVER)
                    .ignoreExceptionsMatching(LeaderElectionIT::isConflict)
                    .until(() -> {
                        lease.edit(current -> {
                            current.getSpec().setHolderIdentity("intruder");
                            current.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
                            current.getSpec().setLeaseDurationSeconds(300);
                            return current;
                        });
                        return true;
                    });

            await("the leader exits").atMost(TAKEOVER).until(() -> !leader.isAlive());
            assertThat(leader.exitCode()).isEqualTo(1);
            assertThat(leader.log()).contains("no longer the leader");
        }
    }

    private static OperatorProcess replica(TestNamespace namespace, String name) {
        // No webhook: both replicas run on the bed's host, where they would share its port.
        return OperatorProcess.start(
                TestBed.get(),
                Map.of(
                        "SCHEMAGATE_LEADER_ELECTION_ENABLED",
                        "true",
                        "SCHEMAGATE_NAMESPACE",
                        namespace.name(),
                        "SCHEMAGATE_WEBHOOK_ENABLED",
                        "false",
                        "HOSTNAME",
                        name));
    }

    private static boolean isConflict(Throwable error) {
        return error instanceof KubernetesClientException e && e.getCode() == 409;
    }

    private static String holder(Resource<Lease> lease) {
        Lease current = lease.get();
        return current == null ? null : current.getSpec().getHolderIdentity();
    }
}
