package io.schemagate.reconcile;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjectionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import io.schemagate.api.CredentialsSecret;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseSpec;
import io.schemagate.api.ImageSource;
import io.schemagate.api.JobSpec;
import io.schemagate.config.SchemaGateConfig;
import io.schemagate.contract.Direction;
import io.schemagate.contract.ErrorKind;
import io.schemagate.contract.RunnerEnvironment;
import io.schemagate.engine.RunSettings;
import io.schemagate.gate.Gating;
import io.schemagate.runner.MigrateCommand;
import io.schemagate.support.Json;
import io.schemagate.support.ManagedBy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Job that runs one migration attempt: a pure function of the resource, the run and the runner
 * configuration. Credentials reach the pod only as Secret references.
 */
public final class MigrationJob {
    public static final String RUNNER_CONTAINER = "migrate";
    static final String COPY_CONTAINER = "copy-migrations";
    /** The command engine's tool: it runs before the runner, which then reads where it left the database. */
    public static final String TOOL_CONTAINER = "tool";
    /** The runner's backup step (spec.backup): first, before anything can change the database. */
    public static final String BACKUP_CONTAINER = "backup";
    /** The runner's rehearsal on a scratch copy (spec.rehearsal): before anything touches the database. */
    public static final String REHEARSE_CONTAINER = "rehearse";
    /** The tool's own adoption (alembic stamp, golang-migrate force) of spec.adopt, before it migrates from there. */
    public static final String ADOPT_CONTAINER = "adopt";

    static final String BACKUP_DIR = "/schemagate/backup";
    /** In the pod's /tmp, shared by the backup and migrate steps. */
    static final String BACKUP_RECORD = "/tmp/schemagate-backup.json";

    static final String MIGRATIONS_DIR = "/schemagate/migrations";
    /**
     * A sidecar injected by Istio would keep a Job's pod running after its migration; a resource
     * whose database is reached through the mesh asks for it in job.podLabels (as a native sidecar).
     */
    static final String ISTIO_INJECT = "sidecar.istio.io/inject";
    /**
     * Arguments only: the image's own entrypoint runs them, with its JVM options (heap sized from the
     * memory limit, exit on out-of-memory).
     */
    static final List<String> RUNNER_ARGS = List.of(MigrateCommand.NAME);

    static final List<String> BACKUP_ARGS = List.of(MigrateCommand.BACKUP);
    static final List<String> REHEARSE_ARGS = List.of(MigrateCommand.REHEARSE);
    /**
     * Added by the java launcher to the image's options: a short-lived process starts faster with the
     * serial collector and the first JIT tier only.
     */
    public static final String JVM_OPTIONS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    private MigrationJob() {}

    public static Job desired(DatabaseMigration resource, PlannedRun run, SchemaGateConfig.Runner runner) {
        JobSpec jobSpec =
                resource.getSpec().getJob() != null ? resource.getSpec().getJob() : new JobSpec();
        Map<String, String> labels = labels(resource, run);
        Map<String, String> podLabels = new LinkedHashMap<>();
        podLabels.put(ISTIO_INJECT, "false");
        if (jobSpec.getPodLabels() != null) {
            podLabels.putAll(jobSpec.getPodLabels());
        }
        // A runner pod is never held behind the migration it runs, whatever labels were asked for.
        podLabels.remove(Gating.MIGRATION_LABEL);
        podLabels.putAll(labels);

        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> scriptMounts = new ArrayList<>();
        List<Container> initContainers = new ArrayList<>();
        volumes.add(new VolumeBuilder()
                .withName("tmp")
                .withNewEmptyDir()
                .withSizeLimit(new Quantity(runner.tmpSizeLimit()))
                .endEmptyDir()
                .build());
        if (run.source() instanceof ResolvedSource.FromConfigMaps fromConfigMaps
                && run.settings().engine().keepsConfigMapFolders()) {
            for (int i = 0; i < fromConfigMaps.configMaps().size(); i++) {
                String name = fromConfigMaps.configMaps().get(i);
                volumes.add(new VolumeBuilder()
                        .withName("scripts-" + i)
                        .withNewConfigMap()
                        .withName(name)
                        .endConfigMap()
                        .build());
                scriptMounts.add(mount("scripts-" + i, MIGRATIONS_DIR + "/" + name, true));
            }
        } else if (run.source() instanceof ResolvedSource.FromConfigMaps fromConfigMaps) {
            // One folder for all of them, as sqlx reads one folder; no file name is in two ConfigMaps
            // (the source is refused otherwise).
            volumes.add(new VolumeBuilder()
                    .withName("scripts")
                    .withNewProjected()
                    .withSources(fromConfigMaps.configMaps().stream()
                            .map(name -> new VolumeProjectionBuilder()
                                    .withNewConfigMap()
                                    .withName(name)
                                    .endConfigMap()
                                    .build())
                            .toList())
                    .endProjected()
                    .build());
            scriptMounts.add(mount("scripts", MIGRATIONS_DIR, true));
        } else if (run.source() instanceof ResolvedSource.FromImage fromImage
                && fromImage.mount() == ImageSource.Mount.Volume) {
            // The kubelet mounts the image: nothing runs in it, so it needs no shell and no cp.
            ImageSource image = fromImage.image();
            volumes.add(new VolumeBuilder()
                    .withName("scripts")
                    .withNewImage()
                    .withReference(image.getRef())
                    .withPullPolicy(
                            image.getPullPolicy() == null
                                    ? null
                                    : image.getPullPolicy().name())
                    .endImage()
                    .build());
            String below = image.getPath().replaceAll("^/+|/+$", "");
            scriptMounts.add(new VolumeMountBuilder()
                    .withName("scripts")
                    .withMountPath(MIGRATIONS_DIR)
                    .withSubPath(below.isEmpty() ? null : below)
                    .withReadOnly(true)
                    .build());
        } else if (run.source() instanceof ResolvedSource.FromImage fromImage) {
            volumes.add(emptyDir("scripts"));
            scriptMounts.add(mount("scripts", MIGRATIONS_DIR, true));
            initContainers.add(copyContainer(fromImage.image()));
        }
        Inheritance inherited =
                run.source() instanceof ResolvedSource.FromImage fromImage ? fromImage.inherited() : Inheritance.NONE;
        volumes.addAll(inherited.volumes());
        List<VolumeMount> toolMounts = new ArrayList<>(scriptMounts);
        toolMounts.addAll(inherited.mounts());
        List<VolumeMount> runnerMounts = new ArrayList<>(toolMounts);
        runnerMounts.add(mount("tmp", "/tmp", false));
        List<EnvVar> runnerEnv = environment(resource.getSpec().getDatabase(), run);
        RunSettings.Rehearsal rehearsal = run.settings().rehearsal();
        if (rehearsal != null) {
            List<EnvVar> rehearsalEnv = new ArrayList<>(runnerEnv);
            rehearsalEnv.add(plain(RunnerEnvironment.REHEARSAL, "true"));
            if (rehearsal.database() != null) {
                rehearsalEnv.add(plain(RunnerEnvironment.REHEARSAL_DATABASE, rehearsal.database()));
            }
            initContainers.add(
                    runnerContainer(REHEARSE_CONTAINER, REHEARSE_ARGS, rehearsalEnv, runnerMounts, jobSpec, runner));
        }
        RunSettings.Backup backup = run.settings().backup();
        if (backup != null) {
            volumes.add(new VolumeBuilder()
                    .withName("backup")
                    .withNewPersistentVolumeClaim()
                    .withClaimName(backup.claim())
                    .endPersistentVolumeClaim()
                    .build());
            List<VolumeMount> backupMounts = new ArrayList<>(runnerMounts);
            backupMounts.add(mount("backup", BACKUP_DIR, false));
            List<EnvVar> backupEnv = new ArrayList<>(runnerEnv);
            backupEnv.add(plain(RunnerEnvironment.BACKUP_DIR, BACKUP_DIR));
            backupEnv.add(
                    plain(RunnerEnvironment.BACKUP_NAME, resource.getMetadata().getName()));
            backupEnv.add(plain(RunnerEnvironment.BACKUP_KEEP, Integer.toString(backup.keep())));
            initContainers.add(runnerContainer(
                    BACKUP_CONTAINER, MigrationJob.BACKUP_ARGS, backupEnv, backupMounts, jobSpec, runner));
        }
        if (run.source() instanceof ResolvedSource.FromImage fromImage
                && run.settings().tool() != null) {
            if (run.adopt() != null && run.settings().adoptTool() != null) {
                initContainers.add(toolContainer(
                        ADOPT_CONTAINER, run.settings().adoptTool(), run, fromImage.image(), toolMounts, inherited));
            }
            initContainers.add(
                    toolContainer(TOOL_CONTAINER, run.tool(), run, fromImage.image(), toolMounts, inherited));
        }

        Container migrate = runnerContainer(RUNNER_CONTAINER, RUNNER_ARGS, runnerEnv, runnerMounts, jobSpec, runner);
        WorkloadPlacement placement = WorkloadPlacement.of(run.source());

        return new JobBuilder()
                .withNewMetadata()
                .withName(run.jobName())
                .withNamespace(resource.getMetadata().getNamespace())
                .withLabels(labels)
                .addToAnnotations(Labels.DIGEST, run.digest())
                .addToAnnotations(imageAnnotation(run.source()))
                .addToAnnotations(Labels.GENERATION, Long.toString(run.generation()))
                .addToAnnotations(
                        run.retryRequest() == null ? Map.of() : Map.of(Labels.RETRY_REQUEST, run.retryRequest()))
                .addToAnnotations(
                        run.approvedPlan() == null ? Map.of() : Map.of(Labels.APPROVED_PLAN, run.approvedPlan()))
                .addToAnnotations(
                        run.approver() == null ? Map.of() : run.approver().annotations())
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(resource.getApiVersion())
                        .withKind(resource.getKind())
                        .withName(resource.getMetadata().getName())
                        .withUid(resource.getMetadata().getUid())
                        .withController(true)
                        .withBlockOwnerDeletion(true)
                        .build())
                .endMetadata()
                .withNewSpec()
                // Until its tool's connection Secret exists: no pod starts before it (ConnectionHandover).
                .withSuspend(ConnectionHandover.needed(run.settings()) ? Boolean.TRUE : null)
                .withBackoffLimit(jobSpec.getBackoffLimit())
                .withActiveDeadlineSeconds(jobSpec.getActiveDeadlineSeconds())
                .withTtlSecondsAfterFinished(jobSpec.getTtlSecondsAfterFinished())
                // A deterministic failure (bad SQL, checksum) fails the Job at once whatever the
                // backoffLimit: running the same scripts again cannot succeed.
                .withNewPodFailurePolicy()
                .withRules(failJobOn(RUNNER_CONTAINER))
                .addAllToRules(rehearsal == null ? List.of() : List.of(failJobOn(REHEARSE_CONTAINER)))
                .addAllToRules(backup == null ? List.of() : List.of(failJobOn(BACKUP_CONTAINER)))
                .endPodFailurePolicy()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(podLabels)
                .withAnnotations(jobSpec.getPodAnnotations())
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withServiceAccountName(
                        inherited.inheritsServiceAccount()
                                ? inherited.serviceAccount()
                                : jobSpec.getServiceAccountName())
                .withImagePullSecrets(placement.imagePullSecrets())
                .withNodeSelector(placement.nodeSelector())
                .withTolerations(placement.tolerations())
                .withAffinity(placement.affinity())
                // The runner talks to the database only, never to the API server; with the
                // application's identity, the token is mounted as for the application.
                .withAutomountServiceAccountToken(
                        inherited.inheritsServiceAccount() ? inherited.automountToken() : Boolean.FALSE)
                .withSecurityContext(new PodSecurityContextBuilder()
                        .withRunAsNonRoot(true)
                        .withRunAsUser(runner.runAsUser())
                        .withRunAsGroup(runner.runAsUser())
                        // A claim's volume is made writable for the runner's group, where the
                        // volume supports ownership management.
                        .withFsGroup(backup == null ? null : runner.runAsUser())
                        .withNewSeccompProfile()
                        .withType("RuntimeDefault")
                        .endSeccompProfile()
                        .build())
                .withVolumes(volumes)
                .withInitContainers(initContainers)
                .withContainers(migrate)
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Container runnerContainer(
            String name,
            List<String> args,
            List<EnvVar> env,
            List<VolumeMount> mounts,
            JobSpec jobSpec,
            SchemaGateConfig.Runner runner) {
        return new ContainerBuilder()
                .withName(name)
                .withImage(runner.image())
                .withImagePullPolicy(runner.imagePullPolicy())
                .withArgs(args)
                .withEnv(env)
                .withVolumeMounts(mounts)
                .withResources(jobSpec.getResources() != null ? jobSpec.getResources() : defaultResources(runner))
                .withSecurityContext(restricted())
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .build();
    }

    private static PodFailurePolicyRule failJobOn(String container) {
        return new PodFailurePolicyRuleBuilder()
                .withAction("FailJob")
                .withNewOnExitCodes()
                .withContainerName(container)
                .withOperator("In")
                .withValues(ErrorKind.DETERMINISTIC_EXIT_CODE)
                .endOnExitCodes()
                .build();
    }

    static Map<String, String> labels(DatabaseMigration resource, PlannedRun run) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ManagedBy.LABEL, ManagedBy.VALUE);
        labels.put(Labels.RESOURCE, LabelValues.of(resource.getMetadata().getName()));
        labels.put(Labels.DIGEST, JobNames.shortDigest(run.digest()));
        labels.put(Labels.ATTEMPT, Integer.toString(run.attempt()));
        labels.put(Labels.DATABASE, run.databaseKey());
        return labels;
    }

    private static List<EnvVar> environment(DatabaseSpec database, PlannedRun run) {
        RunSettings settings = run.settings();
        CredentialsSecret credentials = database.getCredentialsSecret();
        List<EnvVar> env = new ArrayList<>();
        if (database.getUrlFrom() != null) {
            env.add(fromSecret(
                    RunnerEnvironment.DB_URL,
                    database.getUrlFrom().getSecretKeyRef().getName(),
                    database.getUrlFrom().getSecretKeyRef().getKey()));
        } else {
            env.add(plain(RunnerEnvironment.DB_URL, database.getUrl()));
        }
        if (credentials != null) {
            env.add(fromSecret(RunnerEnvironment.DB_USERNAME, credentials.getName(), credentials.getUsernameKey()));
            env.add(fromSecret(RunnerEnvironment.DB_PASSWORD, credentials.getName(), credentials.getPasswordKey()));
        }
        env.add(plain(RunnerEnvironment.MIGRATIONS_DIR, MIGRATIONS_DIR));
        env.add(plain("JDK_JAVA_OPTIONS", JVM_OPTIONS));
        env.add(plain(RunnerEnvironment.SCHEMAS, String.join(",", settings.schemas())));
        env.add(plain(RunnerEnvironment.ENGINE, settings.engine().name().name()));
        if (run.direction() == Direction.Down) {
            env.add(plain(RunnerEnvironment.DIRECTION, Direction.Down.name()));
        }
        if (run.adopt() != null) {
            env.add(plain(RunnerEnvironment.ADOPT, run.adopt()));
        }
        if (settings.backup() != null) {
            env.add(plain(RunnerEnvironment.BACKUP_RECORD, BACKUP_RECORD));
        }
        if (settings.tool() != null) {
            // The runner reports the tool's run: what it reads, and where the database was before.
            env.add(plain(RunnerEnvironment.HISTORY_FORMAT, settings.format().toString()));
            if (run.from() != null) {
                env.add(plain(RunnerEnvironment.PREVIOUS_REVISION, run.from()));
            }
        }
        if (settings.engine().runsInSourceFolder() && run.source() instanceof ResolvedSource.FromImage fromImage) {
            settings.engine().reportEnvironment(settings).forEach((name, value) -> env.add(plain(name, value)));
            env.add(plain(RunnerEnvironment.SOURCE_PATH, fromImage.image().getPath()));
        }
        env.add(plain(RunnerEnvironment.TABLE, settings.table()));
        if (settings.ignoreMissing()) {
            env.add(plain(RunnerEnvironment.IGNORE_MISSING, "true"));
        }
        env.add(plain(RunnerEnvironment.TARGET, settings.target()));
        env.add(plain(RunnerEnvironment.BASELINE_ON_MIGRATE, Boolean.toString(settings.baselineOnMigrate())));
        env.add(plain(RunnerEnvironment.BASELINE_VERSION, settings.baselineVersion()));
        env.add(plain(RunnerEnvironment.OUT_OF_ORDER, Boolean.toString(settings.outOfOrder())));
        env.add(plain(RunnerEnvironment.LOCK_TIMEOUT, settings.lockTimeout()));
        env.add(plain(RunnerEnvironment.STATEMENT_TIMEOUT, settings.statementTimeout()));
        settings.secretPlaceholders()
                .forEach((name, reference) -> env.add(fromSecret(
                        RunnerEnvironment.SECRET_PLACEHOLDER_PREFIX + name, reference.getName(), reference.getKey())));
        if (!settings.placeholders().isEmpty()) {
            env.add(plain(RunnerEnvironment.PLACEHOLDERS, Json.write(settings.placeholders())));
        }
        return env;
    }

    private static ResourceRequirements defaultResources(SchemaGateConfig.Runner runner) {
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity(runner.cpuRequest()))
                .addToRequests("memory", new Quantity(runner.memoryRequest()))
                .addToLimits("memory", new Quantity(runner.memoryLimit()))
                .build();
    }

    /**
     * The tool, in its image (or the source's), on the scripts: the connection comes from the run's
     * own Secret ({@link PlannedRun#connectionSecret()}), so that no credential is in the Job. Alembic
     * runs where the source's path is in the application's image, beside its env.py and the modules
     * that imports, as {@code alembic upgrade} runs in an init container.
     */
    private static Container toolContainer(
            String name,
            RunSettings.Tool tool,
            PlannedRun run,
            ImageSource source,
            List<VolumeMount> mounts,
            Inheritance inherited) {
        List<EnvFromSource> envFrom = new ArrayList<>(inherited.envFrom());
        // Last, so that the connection's variables win over any of the same name in the application's.
        envFrom.add(new EnvFromSourceBuilder()
                .withNewSecretRef()
                .withName(run.connectionSecret())
                .endSecretRef()
                .build());
        List<EnvVar> env = new ArrayList<>(inherited.env());
        env.add(plain(RunnerEnvironment.TARGET, run.settings().target()));
        if (run.adopt() != null) {
            env.add(plain(RunnerEnvironment.ADOPT, run.adopt()));
        }
        return new ContainerBuilder()
                .withName(name)
                .withImage(tool.image() != null ? tool.image() : source.getRef())
                .withImagePullPolicy(
                        tool.image() != null || source.getPullPolicy() == null
                                ? null
                                : source.getPullPolicy().name())
                .withCommand(tool.command().isEmpty() ? null : tool.command())
                .withArgs(tool.args().isEmpty() ? null : tool.args())
                .withWorkingDir(run.settings().engine().runsInSourceFolder() ? source.getPath() : MIGRATIONS_DIR)
                .withEnvFrom(envFrom)
                // For $(SCHEMAGATE_TARGET) and $(SCHEMAGATE_ADOPT) in the tool's arguments.
                .withEnv(env)
                .withVolumeMounts(mounts)
                .withSecurityContext(restricted())
                // The tool's own words are what a failure shows: the tail of its output.
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .build();
    }

    private static Container copyContainer(ImageSource image) {
        String from = image.getPath().endsWith("/") ? image.getPath() + "." : image.getPath() + "/.";
        return new ContainerBuilder()
                .withName(COPY_CONTAINER)
                .withImage(image.getRef())
                .withImagePullPolicy(
                        image.getPullPolicy() == null
                                ? null
                                : image.getPullPolicy().name())
                .withCommand("cp", "-R", from, MIGRATIONS_DIR + "/")
                .withVolumeMounts(mount("scripts", MIGRATIONS_DIR, false))
                .withSecurityContext(restricted())
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .build();
    }

    private static SecurityContext restricted() {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .build();
    }

    private static Volume emptyDir(String name) {
        return new VolumeBuilder()
                .withName(name)
                .withNewEmptyDir()
                .endEmptyDir()
                .build();
    }

    private static VolumeMount mount(String volume, String path, boolean readOnly) {
        return new VolumeMountBuilder()
                .withName(volume)
                .withMountPath(path)
                .withReadOnly(readOnly)
                .build();
    }

    private static EnvVar plain(String name, String value) {
        return new EnvVar(name, value, null);
    }

    private static EnvVar fromSecret(String name, String secret, String key) {
        return new EnvVarBuilder()
                .withName(name)
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName(secret)
                .withKey(key)
                .endSecretKeyRef()
                .endValueFrom()
                .build();
    }

    private static Map<String, String> imageAnnotation(ResolvedSource source) {
        return source instanceof ResolvedSource.FromImage fromImage
                ? Map.of(Labels.IMAGE, fromImage.image().getRef())
                : Map.of();
    }
}
