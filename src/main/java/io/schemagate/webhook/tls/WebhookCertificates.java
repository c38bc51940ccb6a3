package io.schemagate.webhook.tls;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.schemagate.config.SchemaGateConfig;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The webhook's serving certificate, kept current: what the webhook's HTTPS server asks for its
 * certificate and its changes. Self-managed, it is issued and renewed in a Secret and its CA bundle
 * is published to the MutatingWebhookConfiguration; from files, the files are re-read. Starts with
 * the operator when the webhook is enabled (the {@code migrate} mode has no CDI and never creates
 * it), or on the first {@link #current()}, whichever comes first.
 */
@Singleton
public class WebhookCertificates {
    private final SchemaGateConfig.Webhook webhook;
    private final CertificateSource source;
    private final CaBundlePublisher publisher;
    private final Duration checkInterval;
    private final List<Consumer<ServingCertificate>> listeners = new ArrayList<>();
    private volatile ServingCertificate current;
    private ScheduledExecutorService checks;

    @Inject
    public WebhookCertificates(KubernetesClient client, SchemaGateConfig config) {
        this(client, config.namespace(), config.webhook(), Clock.systemUTC());
    }

    WebhookCertificates(KubernetesClient client, String namespace, SchemaGateConfig.Webhook webhook, Clock clock) {
        this.webhook = webhook;
        if (webhook.certificates() == SchemaGateConfig.CertificateMode.SELF_MANAGED) {
            RenewalPolicy policy = new RenewalPolicy(
                    ServingNames.of(webhook.service(), namespace),
                    webhook.caValidity(),
                    webhook.certificateValidity(),
                    webhook.renewBefore());
            this.source = new SelfManagedCertificates(client, namespace, webhook.secret(), policy, clock);
            this.publisher = new CaBundlePublisher(client, webhook.configuration());
            this.checkInterval = webhook.renewalCheckInterval();
        } else {
            // cert-manager's CA injector publishes the bundle of certificates it issues.
            this.source = new CertificateFiles(Path.of(webhook.certificateDir()));
            this.publisher = null;
            this.checkInterval = webhook.filesCheckInterval();
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (webhook.enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** The certificate to serve now. */
    public ServingCertificate current() {
        if (current == null) {
            start();
        }
        return current;
    }

    /**
     * Calls the listener with each new certificate (renewed, re-read, or renewed by another
     * replica), on the thread of the periodic check. Returns the certificate current at
     * registration, so that no change can slip between reading it and listening.
     */
    public synchronized ServingCertificate onChange(Consumer<ServingCertificate> listener) {
        listeners.add(listener);
        return current();
    }

    /** Loads the certificate, then checks it periodically; failing to load it at all fails the start. */
    synchronized void start() {
        if (!webhook.enabled()) {
            throw new IllegalStateException("the webhook is disabled (schemagate.webhook.enabled=false)");
        }
        if (checks != null) {
            return;
        }
        ServingCertificate loaded = source.refresh();
        // Served whether or not the bundle could be published: there is no other certificate to serve,
        // and the informer below publishes it as soon as it can.
        publishBundle(loaded);
        current = loaded;
        Log.infof("webhook certificate from %s, valid until %s", source, loaded.notAfter());
        if (publisher != null) {
            try {
                publisher.watch();
            } catch (RuntimeException e) {
                Log.warnf(
                        "cannot watch MutatingWebhookConfiguration %s; its caBundle is checked every %s only: %s",
                        webhook.configuration(), checkInterval, e.getMessage());
            }
        }
        checks = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "webhook-certificates");
            thread.setDaemon(true);
            return thread;
        });
        // check() logs its own failures, so no failure ends the schedule.
        ScheduledFuture<?> unused = checks.scheduleWithFixedDelay(
                this::check, checkInterval.toMillis(), checkInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (checks != null) {
            checks.shutdownNow();
            checks = null;
        }
        if (publisher != null) {
            publisher.close();
        }
    }

    /** One periodic check; a failure leaves the current certificate in place until the next. */
    private void check() {
        ServingCertificate fresh;
        try {
            fresh = source.refresh();
        } catch (RuntimeException e) {
            Log.warnf(
                    "checking the webhook certificate from %s failed; serving the current one (valid until %s): %s",
                    source, current.notAfter(), e.getMessage());
            return;
        }
        // The bundle first: a certificate from a new CA is served only once clients can trust it. A
        // renewal within the bundle already published needs nothing new of them.
        boolean trusted = publishBundle(fresh) || fresh.caBundlePem().equals(current.caBundlePem());
        List<Consumer<ServingCertificate>> notified;
        synchronized (this) {
            if (fresh.equals(current)) {
                return;
            }
            if (!trusted) {
                Log.warnf(
                        "a new webhook certificate from %s (valid until %s) waits until its CA bundle is published;"
                                + " serving the current one (valid until %s)",
                        source, fresh.notAfter(), current.notAfter());
                return;
            }
            current = fresh;
            notified = List.copyOf(listeners);
        }
        Log.infof("webhook certificate from %s changed, valid until %s", source, fresh.notAfter());
        notified.forEach(listener -> notify(listener, fresh));
    }

    /** @return whether the bundle is published, or there is nothing to publish it to (cert-manager's files) */
    private boolean publishBundle(ServingCertificate certificate) {
        if (publisher == null) {
            return true;
        }
        try {
            return publisher.publish(certificate.caBundlePem());
        } catch (RuntimeException e) {
            Log.warnf(
                    "cannot read MutatingWebhookConfiguration %s to publish the CA bundle: %s",
                    webhook.configuration(), e.getMessage());
            return false;
        }
    }

    private static void notify(Consumer<ServingCertificate> listener, ServingCertificate certificate) {
        try {
            listener.accept(certificate);
        } catch (RuntimeException e) {
            Log.errorf(e, "a listener of the webhook certificate failed");
        }
    }
}
