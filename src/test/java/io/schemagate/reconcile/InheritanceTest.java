package io.schemagate.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.schemagate.api.WorkloadInheritance;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class InheritanceTest {

    @Test
    void nothingIsTakenUnlessAsked() throws Unresolvable {
        Workload orders = orders(mount -> {});

        assertThat(Inheritance.of(orders, app(orders), null)).isEqualTo(Inheritance.NONE);
        assertThat(Inheritance.of(orders, app(orders), new WorkloadInheritance()))
                .satisfies(none -> {
                    assertThat(none.env()).isEmpty();
                    assertThat(none.envFrom()).isEmpty();
                    assertThat(none.volumes()).isEmpty();
                    assertThat(none.inheritsServiceAccount()).isFalse();
                });
    }

    @Test
    void theContainersVariablesAreTakenButThoseOfTheMigrationsConnection() throws Unresolvable {
        Workload orders = orders(mount -> {});
        WorkloadInheritance wanted = new WorkloadInheritance();
        wanted.setEnv(true);

        Inheritance inherited = Inheritance.of(orders, app(orders), wanted);

        assertThat(inherited.env()).extracting(EnvVar::getName).containsExactly("ORDERS_SETTINGS", "MEMORY");
        assertThat(inherited.env().get(1).getValueFrom().getResourceFieldRef().getContainerName())
                .as("read from the tool's own container, the only one it can name")
                .isNull();
        assertThat(app(orders)
                        .getEnv()
                        .get(3)
                        .getValueFrom()
                        .getResourceFieldRef()
                        .getContainerName())
                .as("the workload in the cache is left as it was")
                .isEqualTo("app");
        assertThat(inherited.envFrom())
                .singleElement()
                .satisfies(from -> assertThat(from.getConfigMapRef().getName()).isEqualTo("orders-settings"));
    }

    @Test
    void aVolumeIsMountedWhereTheContainerMountsIt() throws Unresolvable {
        Workload orders = orders(mount -> {});
        WorkloadInheritance wanted = new WorkloadInheritance();
        wanted.setVolumes(List.of("db-client"));

        Inheritance inherited = Inheritance.of(orders, app(orders), wanted);

        assertThat(inherited.volumes()).extracting(Volume::getName).containsExactly("db-client");
        assertThat(inherited.mounts()).extracting(VolumeMount::getMountPath).containsExactly("/etc/db-client");
        assertThat(inherited.env()).isEmpty();
    }

    @Test
    void aVolumeThatCannotBeTakenAsItIsStallsWithTheReason() {
        Workload orders = orders(mount -> {});
        Workload clashing = orders(mount -> mount.setMountPath("/schemagate"));

        assertThatThrownBy(() -> Inheritance.of(orders, app(orders), volumes("certs")))
                .hasMessageContaining("certs is not a volume of Deployment orders's pods");
        assertThatThrownBy(() -> Inheritance.of(orders, app(orders), volumes("unmounted")))
                .hasMessageContaining("is not mounted by container app of Deployment orders");
        assertThatThrownBy(() -> Inheritance.of(orders, app(orders), volumes("tmp")))
                .hasMessageContaining("the runner pod's own volumes");
        assertThatThrownBy(() -> Inheritance.of(clashing, app(clashing), volumes("db-client")))
                .hasMessageContaining("mounted at /schemagate, where the runner pod has /schemagate/migrations");
        assertThatThrownBy(() -> Inheritance.of(orders, app(orders), volumes("certs")))
                .isInstanceOfSatisfying(
                        Unresolvable.class,
                        stalled -> assertThat(stalled.isRetryable()).isFalse());
    }

    @Test
    void theServiceAccountComesWithThePodsChoiceOfItsToken() throws Unresolvable {
        Workload orders = orders(mount -> {});
        Workload unnamed = Workload.of(new DeploymentBuilder(deployment(mount -> {}))
                .editSpec()
                .editTemplate()
                .editSpec()
                .withServiceAccountName(null)
                .withAutomountServiceAccountToken(null)
                .endSpec()
                .endTemplate()
                .endSpec()
                .build());
        WorkloadInheritance wanted = new WorkloadInheritance();
        wanted.setServiceAccount(true);

        Inheritance named = Inheritance.of(orders, app(orders), wanted);
        Inheritance byDefault = Inheritance.of(unnamed, app(unnamed), wanted);

        assertThat(named.serviceAccount()).isEqualTo("orders");
        assertThat(named.automountToken()).isFalse();
        assertThat(byDefault.serviceAccount()).isEqualTo("default");
        assertThat(byDefault.automountToken()).isNull();
    }

    private static WorkloadInheritance volumes(String... names) {
        WorkloadInheritance wanted = new WorkloadInheritance();
        wanted.setVolumes(List.of(names));
        return wanted;
    }

    private static Container app(Workload workload) {
        return workload.container("app").orElseThrow();
    }

    private static Workload orders(Consumer<VolumeMount> clientMount) {
        return Workload.of(deployment(clientMount));
    }

    private static Deployment deployment(Consumer<VolumeMount> clientMount) {
        Deployment deployment = new DeploymentBuilder()
                .withNewMetadata()
                .withName("orders")
                .withNamespace("shop")
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .withServiceAccountName("orders")
                .withAutomountServiceAccountToken(false)
                .addNewVolume()
                .withName("db-client")
                .withNewSecret()
                .withSecretName("orders-db-client")
                .endSecret()
                .endVolume()
                .addNewVolume()
                .withName("unmounted")
                .withNewEmptyDir()
                .endEmptyDir()
                .endVolume()
                .addNewVolume()
                .withName("tmp")
                .withNewEmptyDir()
                .endEmptyDir()
                .endVolume()
                .addNewContainer()
                .withName("app")
                .withImage("acme/orders:1.4.0")
                .addNewEnv()
                .withName("ORDERS_SETTINGS")
                .withValue("/etc/db-client")
                .endEnv()
                .addNewEnv()
                .withName("DATABASE_URL")
                .withValue("postgresql://app@db/orders")
                .endEnv()
                .addNewEnv()
                .withName("SCHEMAGATE_TARGET")
                .withValue("1")
                .endEnv()
                .addNewEnv()
                .withName("MEMORY")
                .withNewValueFrom()
                .withNewResourceFieldRef()
                .withContainerName("app")
                .withResource("limits.memory")
                .endResourceFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnvFrom()
                .withNewConfigMapRef()
                .withName("orders-settings")
                .endConfigMapRef()
                .endEnvFrom()
                .addNewVolumeMount()
                .withName("db-client")
                .withMountPath("/etc/db-client")
                .withReadOnly(true)
                .endVolumeMount()
                .addNewVolumeMount()
                .withName("tmp")
                .withMountPath("/var/tmp")
                .endVolumeMount()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        clientMount.accept(deployment
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getVolumeMounts()
                .get(0));
        return deployment;
    }
}
