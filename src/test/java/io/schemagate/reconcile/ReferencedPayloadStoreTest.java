package io.schemagate.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReferencedPayloadStoreTest {
    private final Set<String> referenced = new HashSet<>();
    private final ReferencedPayloadStore<Secret> store = new ReferencedPayloadStore<>(
            secret -> referenced.contains(secret.getMetadata().getName()),
            secret -> new SecretBuilder(secret)
                    .withData(null)
                    .withStringData(null)
                    .build());

    @Test
    void keepsTheDataOnlyOfSecretsAResourceRefersTo() {
        referenced.add("db-credentials");
        store.put("shop/db-credentials", secret("db-credentials"));
        store.put("shop/tls", secret("tls"));

        assertThat(store.get("shop/db-credentials").getStringData()).containsEntry("password", "s3cret");
        assertThat(store.isStripped("shop/db-credentials")).isFalse();
        assertThat(store.get("shop/tls").getStringData()).isNull();
        assertThat(store.get("shop/tls").getMetadata().getName()).isEqualTo("tls");
        assertThat(store.isStripped("shop/tls")).isTrue();
    }

    @Test
    void aSecretReferredToLaterKeepsItsDataFromItsNextChangeOn() {
        store.put("shop/db-credentials", secret("db-credentials"));
        referenced.add("db-credentials");
        assertThat(store.isStripped("shop/db-credentials")).isTrue();

        store.put("shop/db-credentials", secret("db-credentials"));

        assertThat(store.isStripped("shop/db-credentials")).isFalse();
        store.remove("shop/db-credentials");
        assertThat(store.isStripped("shop/db-credentials")).isFalse();
        assertThat(store.size()).isZero();
    }

    @Test
    void aSecretNoResourceRefersToAnyMoreLosesItsDataOnRelease() {
        referenced.addAll(Set.of("db-credentials", "shared", "other"));
        store.put("shop/db-credentials", secret("db-credentials"));
        store.put("shop/shared", secret("shared"));
        store.put("billing/db-credentials", secret("db-credentials"));
        store.put("shop/other", secret("other"));
        // The deleted resource referred to db-credentials and shared; another one still refers to shared.
        referenced.remove("db-credentials");

        List<String> released =
                store.releaseUnreferenced("shop", name -> name.equals("db-credentials") || name.equals("shared"));

        assertThat(released).containsExactly("shop/db-credentials");
        assertThat(store.get("shop/db-credentials").getStringData()).isNull();
        assertThat(store.isStripped("shop/db-credentials")).isTrue();
        assertThat(store.get("shop/shared").getStringData()).containsEntry("password", "s3cret");
        assertThat(store.get("shop/other").getStringData())
                .as("not one the deleted resource referred to")
                .containsEntry("password", "s3cret");
        assertThat(store.get("billing/db-credentials").getStringData())
                .as("another namespace")
                .containsEntry("password", "s3cret");
        assertThat(store.releaseUnreferenced("shop", "db-credentials"::equals))
                .as("stripped already, and still unreferenced")
                .containsExactly("shop/db-credentials");
    }

    @Test
    void leanMetadataDropsTheManagedFieldsAndKubectlsCopyOfThePayload() {
        Secret applied = new SecretBuilder(secret("db-credentials"))
                .editMetadata()
                .addToAnnotations(
                        "kubectl.kubernetes.io/last-applied-configuration",
                        "{\"stringData\":{\"password\":\"s3cret\"}}")
                .addToAnnotations("team", "shop")
                .addNewManagedField()
                .withManager("kubectl")
                .withOperation("Update")
                .endManagedField()
                .endMetadata()
                .build();

        var lean = ReferencedPayloadStore.leanMetadata(applied);

        assertThat(lean.getAnnotations()).containsOnlyKeys("team");
        assertThat(lean.getManagedFields()).isNullOrEmpty();
        assertThat(lean.getName()).isEqualTo("db-credentials");
        assertThat(applied.getMetadata().getAnnotations()).hasSize(2);
    }

    private static Secret secret(String name) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("shop")
                .endMetadata()
                .addToStringData("password", "s3cret")
                .build();
    }
}
