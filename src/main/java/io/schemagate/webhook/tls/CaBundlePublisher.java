package io.schemagate.webhook.tls;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.logging.Log;
import io.schemagate.support.JsonPatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Publishes the CA bundle into the caBundle of every webhook of the MutatingWebhookConfiguration,
 * and publishes it again whenever the configuration appears or something (a Helm upgrade) resets
 * it: an informer watches that one object by name.
 */
final class CaBundlePublisher implements AutoCloseable {
    private static final int HTTP_UNPROCESSABLE = 422;
    private final KubernetesClient client;
    private final String name;
    private volatile String bundle;
    private SharedIndexInformer<MutatingWebhookConfiguration> informer;

    CaBundlePublisher(KubernetesClient client, String name) {
        this.client = client;
        this.name = name;
    }

    /**
     * Publishes the bundle now if the configuration exists, and keeps it published from then on.
     *
     * @return whether every webhook of the configuration now has it: true too when there is no
     *     configuration yet, as no client can call the webhook before the bundle is set
     * @throws KubernetesClientException when the configuration cannot be read
     */
    boolean publish(String caBundlePem) {
        bundle = Base64.getEncoder().encodeToString(caBundlePem.getBytes(StandardCharsets.UTF_8));
        MutatingWebhookConfiguration configuration = configuration().get();
        if (configuration == null) {
            Log.debugf("MutatingWebhookConfiguration %s does not exist yet; its caBundle is set when it appears", name);
            return true;
        }
        return patchIfStale(configuration);
    }

    /** Starts watching the configuration; without this, {@link #publish} alone keeps it current. */
    void watch() {
        informer = configuration().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(MutatingWebhookConfiguration configuration) {
                patchIfStale(configuration);
            }

            @Override
            public void onUpdate(MutatingWebhookConfiguration previous, MutatingWebhookConfiguration configuration) {
                patchIfStale(configuration);
            }

            @Override
            public void onDelete(MutatingWebhookConfiguration configuration, boolean finalStateUnknown) {
                Log.debugf("MutatingWebhookConfiguration %s deleted", name);
            }
        });
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }

    /** @return whether every webhook of the configuration has the bundle now */
    private synchronized boolean patchIfStale(MutatingWebhookConfiguration configuration) {
        String wanted = bundle;
        if (wanted == null) {
            return false;
        }
        List<JsonPatch> operations = new ArrayList<>();
        List<MutatingWebhook> webhooks = configuration.getWebhooks();
        for (int i = 0; i < webhooks.size(); i++) {
            MutatingWebhook webhook = webhooks.get(i);
            if (!wanted.equals(webhook.getClientConfig().getCaBundle())) {
                // The test pins the index to the webhook read here, in case the list changed since.
                operations.add(JsonPatch.test("/webhooks/" + i + "/name", webhook.getName()));
                operations.add(JsonPatch.add("/webhooks/" + i + "/clientConfig/caBundle", wanted));
            }
        }
        if (operations.isEmpty()) {
            return true;
        }
        try {
            configuration().patch(PatchContext.of(PatchType.JSON), JsonPatch.write(operations));
            Log.infof(
                    "MutatingWebhookConfiguration %s: CA bundle published to %d webhook(s)",
                    name, operations.size() / 2);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HTTP_UNPROCESSABLE) {
                // A failed test: the configuration changed meanwhile, and the informer delivers the new one.
                Log.debugf("MutatingWebhookConfiguration %s changed while its CA bundle was published", name);
            } else {
                Log.warnf("MutatingWebhookConfiguration %s: cannot publish the CA bundle: %s", name, e.getMessage());
            }
            return false;
        }
    }

    private Resource<MutatingWebhookConfiguration> configuration() {
        return client.admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName(name);
    }
}
