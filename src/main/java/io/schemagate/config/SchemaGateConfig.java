package io.schemagate.config;

import io.schemagate.api.ImageSource;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Every setting of the operator, under the prefix {@code schemagate}. */
@ConfigMapping(prefix = "schemagate")
public interface SchemaGateConfig {

    /** The migration runner the Jobs run: this very artifact, in its container image. */
    Runner runner();

    /** How often the revision is re-read from each database, to notice changes made outside SchemaGate. */
    @WithDefault("60s")
    Duration resyncInterval();

    /** Backoff of transient failures (database unreachable, Secret missing): doubles up to the cap. */
    Retry retry();

    /** The operator's own namespace: where it keeps its webhook certificate and its leader-election lease. */
    @WithDefault("${POD_NAMESPACE:default}")
    String namespace();

    /** Leader election among the operator's replicas: one reconciles, the others stand by. */
    LeaderElection leaderElection();

    /** The admission webhook that gates pods until their schema is current. */
    Webhook webhook();

    /** The change policy (docs/review.md). */
    Policy policy();

    /** The operator's own reads of the databases: the history, invalid indexes and verify checks. */
    Database database();

    interface Database {
        /**
         * Connections kept open between reads, across all databases (at most 2 for one), so that the
         * read that follows a run's end need not connect anew; 0 opens one for each read.
         */
        @WithDefault("16")
        int idleConnections();

        /** How long a connection no read used is kept open. */
        @WithDefault("2m")
        Duration idleTimeout();
    }

    interface Policy {
        /** libpg_query, PostgreSQL's parser as a shared library: the image carries it here. */
        @WithDefault("/opt/schemagate/lib/libpg_query.so")
        Path parserLibrary();
    }

    interface Runner {
        /** Image of the runner; by default the operator's own image. */
        @WithDefault("schemagate/schemagate:${quarkus.application.version}")
        String image();

        /** Pull policy of the runner image. */
        @WithDefault("IfNotPresent")
        String imagePullPolicy();

        /** User id the Job's containers run as; the images never need root. */
        @WithDefault("1001")
        long runAsUser();

        /** CPU request of the runner container, unless the resource's spec.job.resources sets its own. */
        @WithDefault("100m")
        String cpuRequest();

        /** Memory request of the runner container, unless spec.job.resources sets its own. */
        @WithDefault("256Mi")
        String memoryRequest();

        /**
         * Memory limit of the runner container, unless spec.job.resources sets its own; the image's JVM
         * sizes its heap from it (MaxRAMPercentage).
         */
        @WithDefault("512Mi")
        String memoryLimit();

        /** Size limit of the runner's /tmp, an emptyDir (the root file system is read-only). */
        @WithDefault("64Mi")
        String tmpSizeLimit();

        /** Finished Jobs kept per resource, newest first, for their logs; older ones are deleted. */
        @WithDefault("3")
        int finishedJobsKept();

        /**
         * How image and workload sources reach the Job when a resource does not say (Volume or Copy).
         * Unset: Volume where the API server is Kubernetes 1.35 or newer, Copy before it. Set Copy where
         * the nodes' container runtime cannot mount images (containerd before 2.1, CRI-O before 1.31).
         */
        Optional<ImageSource.Mount> imageMount();
    }

    interface LeaderElection {
        /**
         * Off by default, so that an operator started outside a cluster (make run, the tests)
         * reconciles at once; the Deployment of deploy/ and of the Helm chart turns it on.
         */
        @WithDefault("false")
        boolean enabled();

        /** The Lease the leader holds, in the operator's namespace. */
        @WithDefault("schemagate-operator")
        String leaseName();
    }

    interface Webhook {
        /** Serve the webhook; off, opted-in pods are admitted by the failure policy alone. */
        @WithDefault("true")
        boolean enabled();

        /** HTTPS port of the webhook ({@code POST /mutate/pods}). */
        @WithDefault("8443")
        int port();

        /** The MutatingWebhookConfiguration whose caBundle a self-managed certificate is published to. */
        @WithDefault("schemagate")
        String configuration();

        /** The Service in front of the webhook: its DNS names go into a self-managed certificate. */
        @WithDefault("schemagate-webhook")
        String service();

        /** Who issues the serving certificate. */
        @WithDefault("self-managed")
        CertificateMode certificates();

        /** Self-managed: the Secret, in the operator's namespace, that holds the CA and the serving certificate. */
        @WithDefault("schemagate-webhook-tls")
        String secret();

        /** Files: the directory holding tls.crt and tls.key (for example a mounted cert-manager Secret). */
        @WithDefault("/etc/schemagate/webhook-tls")
        String certificateDir();

        /**
         * Self-managed: how long the CA is valid. It must exceed two serving certificate lifetimes,
         * because a successor CA is added to the bundle while two are left.
         */
        @WithDefault("3650d")
        Duration caValidity();

        /** Self-managed: how long a serving certificate is valid. */
        @WithDefault("365d")
        Duration certificateValidity();

        /** Self-managed: how long before its expiry a serving certificate is replaced. */
        @WithDefault("30d")
        Duration renewBefore();

        /** Self-managed: how often the Secret is checked for certificates to renew. */
        @WithDefault("1h")
        Duration renewalCheckInterval();

        /** Files: how often the files are checked for a certificate their issuer replaced. */
        @WithDefault("1m")
        Duration filesCheckInterval();
    }

    /** Where the webhook's serving certificate comes from. */
    enum CertificateMode {
        /** The operator creates a CA and a serving certificate, renews them, and patches the caBundle. */
        SELF_MANAGED,
        /** Read from files that something else (cert-manager) writes and renews; re-read when they change. */
        FILES
    }

    interface Retry {
        @WithDefault("5s")
        Duration initialBackoff();

        @WithDefault("5m")
        Duration maxBackoff();

        /**
         * Runs that fail in a row for the same transient reason before the resource stalls with
         * RetriesExhausted, until its spec or scripts change or it is annotated schemagate.io/retry.
         */
        @WithDefault("10")
        int maxAttempts();
    }
}
