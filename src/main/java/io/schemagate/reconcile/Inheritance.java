package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.schemagate.api.WorkloadInheritance;
import io.schemagate.contract.RunnerEnvironment;
import io.schemagate.db.ToolConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a runner pod takes from the workload's pods because the resource opted in
 * ({@code source.workload.inherit}): the container's variables for the engine's tool, named volumes
 * where the container mounts them, the pods' service account.
 *
 * @param serviceAccount the pods' service account, null when not inherited
 * @param automountToken the pods' choice of mounting its token, read only when the account is inherited
 */
record Inheritance(
        List<EnvVar> env,
        List<EnvFromSource> envFrom,
        List<Volume> volumes,
        List<VolumeMount> mounts,
        String serviceAccount,
        Boolean automountToken) {
    static final Inheritance NONE = new Inheritance(List.of(), List.of(), List.of(), List.of(), null, null);
    /** The runner pod's own volumes: an inherited one of the same name would replace one of them. */
    private static final Set<String> OWN_VOLUMES = Set.of("tmp", "scripts", "backup");
    /** The runner pod's own folders: an inherited mount at, above or below one would hide it or be hidden. */
    private static final List<String> OWN_PATHS = List.of(MigrationJob.MIGRATIONS_DIR, MigrationJob.BACKUP_DIR, "/tmp");

    boolean inheritsServiceAccount() {
        return serviceAccount != null;
    }

    /**
     * What the container {@code container} of the workload's pods hands over; stalls on a volume the
     * pods lack or the container does not mount, and on one that would clash with the runner's own.
     */
    static Inheritance of(Workload workload, Container container, WorkloadInheritance wanted) throws Unresolvable {
        if (wanted == null) {
            return NONE;
        }
        PodSpec pods = workload.pods().getSpec();
        List<EnvVar> env = wanted.isEnv() ? variables(container) : List.of();
        List<EnvFromSource> envFrom =
                wanted.isEnv() && container.getEnvFrom() != null ? container.getEnvFrom() : List.of();
        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        for (String name : Optional.ofNullable(wanted.getVolumes()).orElse(List.of())) {
            String what = "source.workload.inherit.volumes: " + name;
            if (OWN_VOLUMES.contains(name) || name.startsWith("scripts-")) {
                throw Unresolvable.stalled(
                        Reasons.INVALID_SPEC,
                        what + " has the name of one of the runner pod's "
                                + "own volumes (tmp, scripts, backup); rename it in " + workload.describe());
            }
            Volume volume = Optional.ofNullable(pods.getVolumes()).orElse(List.of()).stream()
                    .filter(candidate -> name.equals(candidate.getName()))
                    .findFirst()
                    .orElseThrow(() -> Unresolvable.stalled(
                            Reasons.INVALID_SPEC, what + " is not a volume of " + workload.describe() + "'s pods"));
            List<VolumeMount> itsMounts = Optional.ofNullable(container.getVolumeMounts()).orElse(List.of()).stream()
                    .filter(mount -> name.equals(mount.getName()))
                    .toList();
            if (itsMounts.isEmpty()) {
                throw Unresolvable.stalled(
                        Reasons.INVALID_SPEC,
                        what + " is not mounted by container " + container.getName() + " of " + workload.describe()
                                + ", so it has no place to go");
            }
            for (VolumeMount mount : itsMounts) {
                Optional<String> clash = OWN_PATHS.stream()
                        .filter(own -> nested(own, mount.getMountPath()))
                        .findFirst();
                if (clash.isPresent()) {
                    throw Unresolvable.stalled(
                            Reasons.INVALID_SPEC,
                            what + " is mounted at " + mount.getMountPath() + ", where the runner pod has "
                                    + clash.get() + " of its own");
                }
            }
            volumes.add(volume);
            mounts.addAll(itsMounts);
        }
        String serviceAccount = !wanted.isServiceAccount()
                ? null
                : Optional.ofNullable(pods.getServiceAccountName())
                        .or(() -> Optional.ofNullable(pods.getServiceAccount()))
                        .orElse("default");
        return new Inheritance(
                env,
                envFrom,
                volumes,
                mounts,
                serviceAccount,
                wanted.isServiceAccount() ? pods.getAutomountServiceAccountToken() : null);
    }

    /**
     * The container's variables, but those the tool's connection and arguments are given by: the
     * migration connects as SchemaGate says, whatever the application's own settings. A resource
     * field of the container (its memory, say) is read from the tool's container instead.
     */
    private static List<EnvVar> variables(Container container) {
        return Optional.ofNullable(container.getEnv()).orElse(List.of()).stream()
                .filter(variable -> !ToolConnection.VARIABLES.contains(variable.getName())
                        && !variable.getName().startsWith(RunnerEnvironment.PREFIX))
                .map(Inheritance::ownResourceFields)
                .toList();
    }

    private static EnvVar ownResourceFields(EnvVar variable) {
        if (variable.getValueFrom() == null
                || variable.getValueFrom().getResourceFieldRef() == null
                || variable.getValueFrom().getResourceFieldRef().getContainerName() == null) {
            return variable;
        }
        EnvVar copy = new EnvVarBuilder(variable).build();
        copy.getValueFrom().getResourceFieldRef().setContainerName(null);
        return copy;
    }

    /** One path is the other, or a folder of it. */
    private static boolean nested(String a, String b) {
        String first = a.endsWith("/") ? a : a + "/";
        String second = b.endsWith("/") ? b : b + "/";
        return first.startsWith(second) || second.startsWith(first);
    }
}
