package io.schemagate.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
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
        return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(config.leaderElection().leaseName())
                .withLeaseNamespace(config.namespace())
                .build();
    }
}
