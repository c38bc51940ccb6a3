package io.schemagate.config;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

/**
 * Turns on the operator SDK's leader election when {@code schemagate.leader-election.enabled} is
 * true. The SDK looks this bean up at start and runs without leader election when it is null.
 */
@Dependent
public class OperatorLeaderElection {

    // Dependent scope: the only scope in which a producer may return null.
    @Produces
    @Dependent
    LeaderElectionConfiguration leaderElection(SchemaGateConfig config) {
        if (!config.leaderElection().enabled()) {
            return null;
        }
        // The identity defaults to HOSTNAME, the pod's name in a cluster.
        return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                        config.leaderElection().leaseName())
                .withLeaseNamespace(config.namespace())
                // A replica that lost the lease must stop reconciling: it exits, and comes back as a
                // standby. Not through the SDK's own exit: it calls System.exit also when the
                // shutdown hook stops leader election, which blocks that hook forever (a pod would
                // wait for its SIGKILL). Quarkus' exit does nothing once a shutdown is under way.
                .withExitOnStopLeading(false)
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> {},
                        () -> {
                            Log.info("no longer the leader: exiting");
                            Quarkus.asyncExit(1);
                        },
                        leader -> {}))
                .build();
    }
}
