package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * What a runner pod takes from the pods of the workload its scripts come from: the Secrets that pull
 * their image, and the nodes they may run on (a zone that reaches the database, a dedicated pool).
 */
record WorkloadPlacement(
        List<LocalObjectReference> imagePullSecrets,
        Map<String, String> nodeSelector,
        List<Toleration> tolerations,
        Affinity affinity) {
    static final WorkloadPlacement NONE = new WorkloadPlacement(null, null, null, null);

    static WorkloadPlacement of(ResolvedSource source) {
        if (!(source instanceof ResolvedSource.FromImage fromImage) || fromImage.workload() == null) {
            return NONE;
        }
        PodSpec pods = fromImage.workload().pods().getSpec();
        // Node affinity only: the pods' affinity to one another places the application's replicas,
        // and an anti-affinity to them could keep the runner off every node they run on.
        Affinity nodeAffinity = pods.getAffinity() == null || pods.getAffinity().getNodeAffinity() == null
                ? null
                : new AffinityBuilder()
                        .withNodeAffinity(pods.getAffinity().getNodeAffinity())
                        .build();
        return new WorkloadPlacement(
                pods.getImagePullSecrets(), pods.getNodeSelector(), pods.getTolerations(), nodeAffinity);
    }
}
