package io.schemagate.testbed;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps, for the suite-wide leak check (io.schemagate.it.LeakCheckIT), what a test namespace held
 * before it is deleted: its DatabaseMigrations with their status, its events, Jobs and pods (specs,
 * statuses and termination messages), as the operator and the bed left them.
 */
public final class LeakCapture {
    /** Where captures go; LeakCheckIT reads every file there. */
    public static final Path DIRECTORY = Path.of("target/leak-capture");

    private LeakCapture() {}

    static void record(TestNamespace namespace) {
        KubernetesClient client = namespace.client();
        String name = namespace.name();
        List<HasMetadata> objects = new ArrayList<>();
        objects.addAll(client.v1().events().inNamespace(name).list().getItems());
        objects.addAll(client.batch().v1().jobs().inNamespace(name).list().getItems());
        objects.addAll(client.pods().inNamespace(name).list().getItems());
        objects.addAll(migrations(client, name));
        try {
            Files.createDirectories(DIRECTORY);
            Files.writeString(DIRECTORY.resolve(name + ".json"), Serialization.asJson(objects));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** None when the CRD is not installed (tests of the bed alone). */
    private static List<GenericKubernetesResource> migrations(KubernetesClient client, String namespace) {
        try {
            return client.genericKubernetesResources("schemagate.io/v1alpha1", "DatabaseMigration")
                    .inNamespace(namespace)
                    .list()
                    .getItems();
        } catch (KubernetesClientException noCrd) {
            return List.of();
        }
    }
}
