package io.schemagate.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.schemagate.api.AdoptSpec;
import io.schemagate.api.AlembicSpec;
import io.schemagate.api.BackupSpec;
import io.schemagate.api.BackupVolume;
import io.schemagate.api.CommandHistorySpec;
import io.schemagate.api.CommandSpec;
import io.schemagate.api.ConfigMapSource;
import io.schemagate.api.CredentialsSecret;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationSpec;
import io.schemagate.api.DatabaseSpec;
import io.schemagate.api.DowngradeSpec;
import io.schemagate.api.ImageSource;
import io.schemagate.api.JobSpec;
import io.schemagate.api.RehearsalSpec;
import io.schemagate.api.RunStatus;
import io.schemagate.api.SecretKeyReference;
import io.schemagate.api.SourceSpec;
import io.schemagate.api.ValueSource;
import io.schemagate.config.SchemaGateConfig;
import io.schemagate.contract.Direction;
import io.schemagate.contract.RunnerEnvironment;
import io.schemagate.db.Engine;
import io.schemagate.db.HistoryFormat;
import io.schemagate.db.MigrationSet;
import io.schemagate.engine.RunSettings;
import io.schemagate.gate.Gating;
import io.schemagate.support.ManagedBy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MigrationJobTest {
    private static final SchemaGateConfig.Runner RUNNER = new Runner(
            "schemagate/schemagate:1.0", "IfNotPresent", 1001, "100m", "256Mi", "512Mi", "64Mi", 3, Optional.empty());

    @Test
    void theJobIsOwnedLabelledAndNamedAfterTheRun() {
        DatabaseMigration resource = resource();
        Job job = MigrationJob.desired(resource, run(configMaps("a", "b")), RUNNER);

        assertThat(job.getMetadata().getName()).isEqualTo("orders-abcdef0123-2");
        assertThat(job.getMetadata().getLabels())
                .containsEntry(ManagedBy.LABEL, "schemagate")
                .containsEntry(Labels.RESOURCE, "orders")
                .containsEntry(Labels.ATTEMPT, "2")
                .containsEntry(Labels.DATABASE, "dbkey");
        assertThat(job.getMetadata().getAnnotations())
                .containsEntry(Labels.DIGEST, "abcdef0123456789")
                .containsEntry(Labels.GENERATION, "7")
                .containsEntry(Labels.RETRY_REQUEST, "again");
        assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getUid()).isEqualTo("uid-1");
            assertThat(owner.getController()).isTrue();
        });
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("team", "shop")
                .doesNotContainKey("schemagate.io/migration");
    }

    @Test
    void anApprovedRunsJobNamesItsPlanAndApproverAndTheRunRecordReadsThemBack() {
        PlannedRun approved =
                run(configMaps("a")).approved(new Approver("bob", List.of("system:authenticated", "dba")));
        Job job = MigrationJob.desired(resource(), approved, RUNNER);

        assertThat(job.getMetadata().getAnnotations())
                .containsEntry(Labels.APPROVED_PLAN, approved.planDigest())
                .containsEntry("schemagate.io/approved-by", "bob")
                .containsEntry("schemagate.io/approved-groups", "[\"system:authenticated\",\"dba\"]");
        RunStatus running = RunRecords.running(new JobState(job));
        assertThat(running.getApprovedPlan()).isEqualTo(approved.planDigest());
        assertThat(running.getApprovedBy()).isEqualTo("bob");
        assertThat(running.getApproverGroups()).containsExactly("system:authenticated", "dba");
        assertThat(MigrationJob.desired(resource(), run(configMaps("a")), RUNNER)
                        .getMetadata()
                        .getAnnotations())
                .doesNotContainKeys(Labels.APPROVED_PLAN, "schemagate.io/approved-by");
    }

    @Test
    void thePodIsLockedDownAndFailsAtOnceOnADeterministicExit() {
        Job job = MigrationJob.desired(resource(), run(configMaps("a")), RUNNER);
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        Container runner = pod.getContainers().get(0);

        assertThat(job.getSpec().getSuspend()).as("no Secret to wait for").isNull();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(runner.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(runner.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(runner.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(runner.getImage()).isEqualTo("schemagate/schemagate:1.0");
        // The image's entrypoint, with its JVM options, runs the runner: the Job only adds arguments.
        assertThat(runner.getCommand()).isEmpty();
        assertThat(runner.getArgs()).containsExactly("migrate");
        assertThat(runner.getResources().getLimits()).containsEntry("memory", new Quantity("512Mi"));
        assertThat(runner.getResources().getRequests())
                .containsEntry("cpu", new Quantity("100m"))
                .containsEntry("memory", new Quantity("256Mi"));
        assertThat(pod.getVolumes())
                .filteredOn(volume -> volume.getName().equals("tmp"))
                .singleElement()
                .satisfies(tmp -> assertThat(tmp.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("64Mi")));
        assertThat(job.getSpec().getPodFailurePolicy().getRules())
                .singleElement()
                .satisfies(rule -> {
                    assertThat(rule.getAction()).isEqualTo("FailJob");
                    assertThat(rule.getOnExitCodes().getValues()).containsExactly(1);
                });
    }

    @Test
    void aResourceNameLongerThanALabelValueGetsAShortUniqueLabel() {
        DatabaseMigration resource = resource();
        String longName = "orders-" + "x".repeat(200) + ".y";
        resource.getMetadata().setName(longName);
        DatabaseMigration other = resource();
        other.getMetadata().setName(longName.replace(".y", ".z"));

        String label = MigrationJob.desired(resource, run(configMaps("a")), RUNNER)
                .getMetadata()
                .getLabels()
                .get(Labels.RESOURCE);
        String otherLabel = MigrationJob.desired(other, run(configMaps("a")), RUNNER)
                .getMetadata()
                .getLabels()
                .get(Labels.RESOURCE);

        assertThat(label)
                .hasSizeLessThanOrEqualTo(63)
                .startsWith("orders-xxx")
                .matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
        assertThat(otherLabel).isNotEqualTo(label);
    }

    @Test
    void credentialsReachThePodOnlyAsSecretReferences() {
        DatabaseMigration resource = resource();
        resource.getSpec().getDatabase().setUrl(null);
        resource.getSpec().getDatabase().setUrlFrom(new ValueSource(new SecretKeyReference("db-url", "jdbc")));
        Container runner = MigrationJob.desired(resource, run(configMaps("a")), RUNNER)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);

        assertThat(env(runner, "SCHEMAGATE_DB_URL")
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getName())
                .isEqualTo("db-url");
        assertThat(env(runner, "SCHEMAGATE_DB_USERNAME")
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getKey())
                .isEqualTo("user");
        assertThat(env(runner, "SCHEMAGATE_DB_PASSWORD")
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getName())
                .isEqualTo("creds");
        assertThat(env(runner, "SCHEMAGATE_DB_PASSWORD").getValue()).isNull();
    }

    @Test
    void eachConfigMapIsMountedInItsOwnFolder() {
        PodSpec pod = MigrationJob.desired(resource(), run(configMaps("first", "second")), RUNNER)
                .getSpec()
                .getTemplate()
                .getSpec();

        assertThat(pod.getContainers().get(0).getVolumeMounts())
                .extracting(m -> m.getMountPath())
                .contains("/schemagate/migrations/first", "/schemagate/migrations/second", "/tmp");
        assertThat(pod.getInitContainers()).isEmpty();
    }

    @Test
    void forSqlxTheConfigMapsAreOneFolderAndTheRunnerIsToldTheEngine() {
        DatabaseMigration resource = resource();
        resource.getSpec().setEngine(Engine.sqlx);
        PlannedRun run = new PlannedRun(
                configMaps("first", "second"),
                RunSettings.of(resource),
                "abcdef0123456789",
                1,
                "dbkey",
                JobNames.of("orders", "abcdef0123456789", 1),
                7,
                null,
                null);
        PodSpec pod = MigrationJob.desired(resource, run, RUNNER)
                .getSpec()
                .getTemplate()
                .getSpec();

        assertThat(pod.getContainers().get(0).getVolumeMounts())
                .extracting(m -> m.getMountPath())
                .containsExactlyInAnyOrder("/schemagate/migrations", "/tmp");
        assertThat(pod.getVolumes())
                .filteredOn(volume -> volume.getProjected() != null)
                .singleElement()
                .satisfies(volume -> assertThat(volume.getProjected().getSources())
                        .extracting(projection -> projection.getConfigMap().getName())
                        .containsExactly("first", "second"));
        assertThat(env(pod.getContainers().get(0), RunnerEnvironment.ENGINE).getValue())
                .isEqualTo("sqlx");
        assertThat(env(pod.getContainers().get(0), RunnerEnvironment.TABLE).getValue())
                .isEqualTo("_sqlx_migrations");
    }

    @Test
    void theCommandEnginesToolRunsAfterTheCopyWithItsConnectionFromTheRunsSecret() {
        DatabaseMigration resource = resource();
        resource.getSpec().setEngine(Engine.command);
        CommandSpec command = new CommandSpec();
        command.setImage("migrate/migrate:v4.20.1");
        command.setArgs(List.of("-path", "/schemagate/migrations", "-database", "$(DATABASE_URL)", "up"));
        command.setHistory(new CommandHistorySpec());
        command.getHistory().setFormat(HistoryFormat.golangMigrate);
        resource.getSpec().setCommand(command);
        ImageSource image = new ImageSource();
        image.setRef("acme/orders:1.4.0");
        image.setPath("/app/db/migration");
        PlannedRun run = new PlannedRun(
                copied(image),
                RunSettings.of(resource),
                "abcdef0123456789",
                1,
                "dbkey",
                JobNames.of("orders", "abcdef0123456789", 1),
                7,
                null,
                "12");
        Job job = MigrationJob.desired(resource, run, RUNNER);
        PodSpec pod = job.getSpec().getTemplate().getSpec();

        // Until the operator created the Secret the tool reads (ConnectionHandover).
        assertThat(job.getSpec().getSuspend()).isTrue();
        assertThat(pod.getInitContainers())
                .extracting(Container::getName)
                .containsExactly("copy-migrations", MigrationJob.TOOL_CONTAINER);
        Container tool = pod.getInitContainers().get(1);
        assertThat(tool.getImage()).isEqualTo("migrate/migrate:v4.20.1");
        assertThat(tool.getCommand()).isNullOrEmpty();
        assertThat(tool.getArgs())
                .containsExactly("-path", "/schemagate/migrations", "-database", "$(DATABASE_URL)", "up");
        assertThat(tool.getWorkingDir()).isEqualTo("/schemagate/migrations");
        // Nothing but the target, for $(SCHEMAGATE_TARGET): the connection is the run's Secret.
        assertThat(tool.getEnv())
                .extracting(EnvVar::getName, EnvVar::getValue)
                .containsExactly(tuple(RunnerEnvironment.TARGET, "latest"));
        assertThat(tool.getEnvFrom())
                .singleElement()
                .satisfies(from -> assertThat(from.getSecretRef().getName())
                        .isEqualTo(run.connectionSecret())
                        .isEqualTo("orders-abcdef0123-1-connection"));
        Container runner = pod.getContainers().get(0);
        assertThat(env(runner, RunnerEnvironment.ENGINE).getValue()).isEqualTo("command");
        assertThat(env(runner, RunnerEnvironment.HISTORY_FORMAT).getValue()).isEqualTo("golang-migrate");
        assertThat(env(runner, RunnerEnvironment.TABLE).getValue()).isEqualTo("schema_migrations");
        assertThat(env(runner, RunnerEnvironment.PREVIOUS_REVISION).getValue()).isEqualTo("12");
    }

    @Test
    void anImageVolumeShowsTheScriptsFolderWhereTheCopyWouldPutItAndNothingRunsInTheImage() {
        DatabaseMigration resource = resource();
        resource.getSpec().setEngine(Engine.command);
        CommandSpec command = new CommandSpec();
        command.setImage("migrate/migrate:v4.20.1");
        command.setHistory(new CommandHistorySpec());
        command.getHistory().setFormat(HistoryFormat.golangMigrate);
        resource.getSpec().setCommand(command);
        ImageSource image = new ImageSource();
        image.setRef("acme/orders@sha256:" + "a".repeat(64));
        image.setPath("/app/db/migration/");
        image.setPullPolicy(ImageSource.PullPolicy.IfNotPresent);
        PlannedRun run = new PlannedRun(
                new ResolvedSource.FromImage(image, ImageSource.Mount.Volume),
                RunSettings.of(resource),
                "abcdef0123456789",
                1,
                "dbkey",
                JobNames.of("orders", "abcdef0123456789", 1),
                7,
                null,
                null);
        PodSpec pod = MigrationJob.desired(resource, run, RUNNER)
                .getSpec()
                .getTemplate()
                .getSpec();

        assertThat(pod.getVolumes())
                .filteredOn(volume -> volume.getName().equals("scripts"))
                .singleElement()
                .satisfies(volume -> {
                    assertThat(volume.getImage().getReference()).isEqualTo(image.getRef());
                    assertThat(volume.getImage().getPullPolicy()).isEqualTo("IfNotPresent");
                });
        assertThat(pod.getInitContainers()).extracting(Container::getName).containsExactly(MigrationJob.TOOL_CONTAINER);
        assertThat(List.of(pod.getInitContainers().get(0), pod.getContainers().get(0)))
                .allSatisfy(container -> assertThat(container.getVolumeMounts())
                        .filteredOn(mount -> mount.getName().equals("scripts"))
                        .singleElement()
                        .satisfies(mount -> {
                            assertThat(mount.getMountPath()).isEqualTo(MigrationJob.MIGRATIONS_DIR);
                            assertThat(mount.getSubPath()).isEqualTo("app/db/migration");
                            assertThat(mount.getReadOnly()).isTrue();
                        }));
    }

    @Test
    void anImageVolumeOfTheWholeImageHasNoSubPath() {
        ImageSource image = new ImageSource();
        image.setRef("acme/orders:1.4.0");
        image.setPath("/");
        PlannedRun run = new PlannedRun(
                new ResolvedSource.FromImage(image, ImageSource.Mount.Volume),
                RunSettings.of(resource()),
                "abcdef0123456789",
                1,
                "dbkey",
                JobNames.of("orders", "abcdef0123456789", 1),
                7,
                null,
                null);
        PodSpec pod = MigrationJob.desired(resource(), run, RUNNER)
                .getSpec()
                .getTemplate()
                .getSpec();

        assertThat(pod.getInitContainers()).isEmpty();
        assertThat(pod.getContainers().get(0).getVolumeMounts())
                .filteredOn(mount -> mount.getName().equals("scripts"))
                .singleElement()
                .satisfies(mount -> assertThat(mount.getSubPath()).isNull());
    }

    @Test
    void alembicRunsInTheApplicationsFolderOfItsImageAndTheRunnerFindsTheSameIniFile() {
        DatabaseMigration resource = resource();
        resource.getSpec().setEngine(Engine.alembic);
        resource.getSpec().setTarget("ae1027a6acf");
        AlembicSpec alembic = new AlembicSpec();
        alembic.setConfig("deploy/alembic.ini");
        alembic.setArgs(List.of("-x", "tenant=acme"));
        resource.getSpec().setAlembic(alembic);
        ImageSource image = new ImageSource();
        image.setRef("acme/accounts:2.0");
        image.setPath("/srv/app");
        PlannedRun run = new PlannedRun(
                copied(image),
                RunSettings.of(resource),
                "abcdef0123456789",
                1,
                "dbkey",
                JobNames.of("orders", "abcdef0123456789", 1),
                7,
                null,
                "1975ea83b712,27c6a30d7c24");
        PodSpec pod = MigrationJob.desired(resource, run, RUNNER)
                .getSpec()
                .getTemplate()
                .getSpec();

        Container tool = pod.getInitContainers().get(1);
        assertThat(tool.getImage()).isEqualTo("acme/accounts:2.0");
        assertThat(tool.getWorkingDir()).isEqualTo("/srv/app");
        assertThat(tool.getCommand()).containsExactly("alembic");
        assertThat(tool.getArgs())
                .containsExactly("-c", "deploy/alembic.ini", "-x", "tenant=acme", "upgrade", "ae1027a6acf");
        assertThat(tool.getEnv()).extracting(EnvVar::getName).containsExactly(RunnerEnvironment.TARGET);
        Container runner = pod.getContainers().get(0);
        assertThat(env(runner, RunnerEnvironment.ENGINE).getValue()).isEqualTo("alembic");
        assertThat(env(runner, RunnerEnvironment.TARGET).getValue()).isEqualTo("ae1027a6acf");
        assertThat(env(runner, RunnerEnvironment.TABLE).getValue()).isEqualTo("alembic_version");
        assertThat(env(runner, RunnerEnvironment.ALEMBIC_CONFIG).getValue()).isEqualTo("deploy/alembic.ini");
        assertThat(env(runner, RunnerEnvironment.SOURCE_PATH).getValue()).isEqualTo("/srv/app");
        assertThat(env(runner, RunnerEnvironment.PREVIOUS_REVISION).getValue()).isEqualTo("1975ea83b712,27c6a30d7c24");
    }

    @Test
    void alembicsLatestIsItsHead() {
        DatabaseMigration resource = resource();
        resource.getSpec().setEngine(Engine.alembic);

        RunSettings settings = RunSettings.of(resource);

        assertThat(settings.target()).isEqualTo("head");
        assertThat(settings.tool().args()).containsExactly("-c", "alembic.ini", "upgrade", "head");
        assertThat(settings.engine().reportEnvironment(settings))
                .containsEntry(RunnerEnvironment.ALEMBIC_CONFIG, "alembic.ini");
    }

    @Test
    void aBackupIsTheRunnersFirstStepIntoTheClaimWrittenOnlyByIt() {
        DatabaseMigration resource = resource();
        BackupSpec backup = new BackupSpec();
        backup.setEnabled(true);
        backup.setKeep(7);
        backup.setVolume(new BackupVolume());
        backup.getVolume().setPersistentVolumeClaim(new BackupVolume.ClaimReference("dumps"));
        resource.getSpec().setBackup(backup);
        Job job = MigrationJob.desired(resource, run(configMaps("a"), resource), RUNNER);
        PodSpec pod = job.getSpec().getTemplate().getSpec();

        assertThat(pod.getInitContainers())
                .extracting(Container::getName)
                .containsExactly(MigrationJob.BACKUP_CONTAINER);
        Container dump = pod.getInitContainers().get(0);
        Container migrate = pod.getContainers().get(0);
        assertThat(dump.getImage()).isEqualTo(migrate.getImage());
        assertThat(dump.getArgs()).containsExactly("backup");
        assertThat(env(dump, RunnerEnvironment.BACKUP_DIR).getValue()).isEqualTo("/schemagate/backup");
        assertThat(env(dump, RunnerEnvironment.BACKUP_NAME).getValue()).isEqualTo("orders");
        assertThat(env(dump, RunnerEnvironment.BACKUP_KEEP).getValue()).isEqualTo("7");
        assertThat(env(dump, RunnerEnvironment.DB_PASSWORD)
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getName())
                .isEqualTo("creds");
        assertThat(env(dump, RunnerEnvironment.BACKUP_RECORD).getValue())
                .isEqualTo(env(migrate, RunnerEnvironment.BACKUP_RECORD).getValue())
                .startsWith("/tmp/");
        assertThat(dump.getVolumeMounts()).anySatisfy(mount -> {
            assertThat(mount.getName()).isEqualTo("backup");
            assertThat(mount.getReadOnly()).isFalse();
        });
        assertThat(migrate.getVolumeMounts()).noneMatch(mount -> mount.getName().equals("backup"));
        assertThat(pod.getVolumes())
                .filteredOn(volume -> volume.getName().equals("backup"))
                .singleElement()
                .satisfies(
                        volume -> assertThat(volume.getPersistentVolumeClaim().getClaimName())
                                .isEqualTo("dumps"));
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(1001L);
        assertThat(job.getSpec().getPodFailurePolicy().getRules())
                .extracting(rule -> rule.getOnExitCodes().getContainerName())
                .containsExactly(MigrationJob.RUNNER_CONTAINER, MigrationJob.BACKUP_CONTAINER);
    }

    @Test
    void aRehearsalRunsFirstWithTheRunnersOwnSettings() {
        DatabaseMigration resource = resource();
        RehearsalSpec rehearsal = new RehearsalSpec();
        rehearsal.setEnabled(true);
        rehearsal.setDatabase("orders_scratch");
        resource.getSpec().setRehearsal(rehearsal);
        BackupSpec backup = new BackupSpec();
        backup.setEnabled(true);
        backup.setVolume(new BackupVolume());
        backup.getVolume().setPersistentVolumeClaim(new BackupVolume.ClaimReference("dumps"));
        resource.getSpec().setBackup(backup);

        Job job = MigrationJob.desired(resource, run(configMaps("a"), resource), RUNNER);
        PodSpec pod = job.getSpec().getTemplate().getSpec();

        assertThat(pod.getInitContainers())
                .extracting(Container::getName)
                .containsExactly(MigrationJob.REHEARSE_CONTAINER, MigrationJob.BACKUP_CONTAINER);
        Container rehearse = pod.getInitContainers().get(0);
        assertThat(rehearse.getArgs()).containsExactly("rehearse");
        assertThat(env(rehearse, RunnerEnvironment.REHEARSAL).getValue()).isEqualTo("true");
        assertThat(env(rehearse, RunnerEnvironment.REHEARSAL_DATABASE).getValue())
                .isEqualTo("orders_scratch");
        assertThat(env(rehearse, RunnerEnvironment.ENGINE).getValue())
                .isEqualTo(env(pod.getContainers().get(0), RunnerEnvironment.ENGINE)
                        .getValue());
        assertThat(rehearse.getVolumeMounts())
                .noneMatch(mount -> mount.getName().equals("backup"));
        assertThat(job.getSpec().getPodFailurePolicy().getRules())
                .extracting(rule -> rule.getOnExitCodes().getContainerName())
                .contains(MigrationJob.REHEARSE_CONTAINER);
    }

    @Test
    void withoutABackupThePodHasNoClaimAndNoFsGroup() {
        PodSpec pod = MigrationJob.desired(resource(), run(configMaps("a")), RUNNER)
                .getSpec()
                .getTemplate()
                .getSpec();

        assertThat(pod.getInitContainers()).isEmpty();
        assertThat(pod.getSecurityContext().getFsGroup()).isNull();
        assertThat(pod.getContainers().get(0).getEnv())
                .extracting(EnvVar::getName)
                .doesNotContain(RunnerEnvironment.BACKUP_RECORD, RunnerEnvironment.DIRECTION, RunnerEnvironment.ADOPT);
    }

    @Test
    void aDowngradeRunsTheDownPathAndAnAdoptionStampsFirst() {
        DatabaseMigration resource = resource();
        resource.getSpec().setEngine(Engine.alembic);
        resource.getSpec().setTarget("1975ea83b712");
        resource.getSpec().setDowngrade(new DowngradeSpec(true));
        resource.getSpec().setAdopt(new AdoptSpec("27c6a30d7c24"));
        ImageSource image = new ImageSource();
        image.setRef("acme/accounts:2.0");
        image.setPath("/srv/app");
        RunSettings settings = RunSettings.of(resource);
        PlannedRun down = new PlannedRun(
                copied(image),
                settings,
                "abcdef0123456789",
                1,
                "dbkey",
                "orders-abcdef0123-1",
                7,
                null,
                "27c6a30d7c24",
                Direction.Down,
                null,
                null,
                null);
        PlannedRun adopting = new PlannedRun(
                copied(image),
                settings,
                "abcdef0123456789",
                1,
                "dbkey",
                "orders-abcdef0123-1",
                7,
                null,
                null,
                Direction.Up,
                "27c6a30d7c24",
                null,
                null);

        PodSpec downPod = MigrationJob.desired(resource, down, RUNNER)
                .getSpec()
                .getTemplate()
                .getSpec();
        PodSpec adoptPod = MigrationJob.desired(resource, adopting, RUNNER)
                .getSpec()
                .getTemplate()
                .getSpec();

        assertThat(downPod.getInitContainers().get(1).getArgs())
                .containsExactly("-c", "alembic.ini", "downgrade", "1975ea83b712");
        assertThat(env(downPod.getContainers().get(0), RunnerEnvironment.DIRECTION)
                        .getValue())
                .isEqualTo("Down");
        assertThat(adoptPod.getInitContainers())
                .extracting(Container::getName)
                .containsExactly("copy-migrations", MigrationJob.ADOPT_CONTAINER, MigrationJob.TOOL_CONTAINER);
        assertThat(adoptPod.getInitContainers().get(1).getArgs())
                .containsExactly("-c", "alembic.ini", "stamp", "27c6a30d7c24");
        assertThat(adoptPod.getInitContainers().get(2).getArgs())
                .containsExactly("-c", "alembic.ini", "upgrade", "1975ea83b712");
        assertThat(env(adoptPod.getContainers().get(0), RunnerEnvironment.ADOPT).getValue())
                .isEqualTo("27c6a30d7c24");
    }

    @Test
    void theCommandEnginesToolAdoptsWithItsOwnArgumentsBeforeItMigrates() {
        DatabaseMigration resource = resource();
        resource.getSpec().setEngine(Engine.command);
        CommandSpec command = new CommandSpec();
        command.setImage("migrate/migrate:v4.20.1");
        command.setArgs(List.of("-path", ".", "-database", "$(DATABASE_URL)", "up"));
        command.setAdoptArgs(List.of("-path", ".", "-database", "$(DATABASE_URL)", "force", "$(SCHEMAGATE_ADOPT)"));
        command.setHistory(new CommandHistorySpec());
        command.getHistory().setFormat(HistoryFormat.golangMigrate);
        resource.getSpec().setCommand(command);
        resource.getSpec().setAdopt(new AdoptSpec("2"));
        ImageSource image = new ImageSource();
        image.setRef("acme/orders:1.4.0");
        image.setPath("/app/db/migration");
        PlannedRun run = new PlannedRun(
                copied(image),
                RunSettings.of(resource),
                "abcdef0123456789",
                1,
                "dbkey",
                "orders-abcdef0123-1",
                7,
                null,
                null,
                Direction.Up,
                "2",
                null,
                null);

        PodSpec pod = MigrationJob.desired(resource, run, RUNNER)
                .getSpec()
                .getTemplate()
                .getSpec();

        assertThat(pod.getInitContainers())
                .extracting(Container::getName)
                .containsExactly("copy-migrations", MigrationJob.ADOPT_CONTAINER, MigrationJob.TOOL_CONTAINER);
        Container adopt = pod.getInitContainers().get(1);
        assertThat(adopt.getImage()).isEqualTo("migrate/migrate:v4.20.1");
        assertThat(adopt.getArgs()).endsWith("force", "$(SCHEMAGATE_ADOPT)");
        assertThat(env(adopt, RunnerEnvironment.ADOPT).getValue()).isEqualTo("2");
        assertThat(pod.getInitContainers().get(2).getArgs()).endsWith("up");
    }

    @Test
    void aRunnerPodOfAWorkloadPullsAndRunsWhereTheWorkloadsPodsDo() {
        Deployment workload = new DeploymentBuilder()
                .withNewMetadata()
                .withName("orders")
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .addNewImagePullSecret("registry-login")
                .addToNodeSelector("topology.kubernetes.io/zone", "eu-west-1a")
                .addNewToleration()
                .withKey("dedicated")
                .withOperator("Equal")
                .withValue("orders")
                .withEffect("NoSchedule")
                .endToleration()
                .withNewAffinity()
                .withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm()
                .addNewMatchExpression()
                .withKey("pool")
                .withOperator("In")
                .withValues("apps")
                .endMatchExpression()
                .endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity()
                .withNewPodAntiAffinity()
                .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withTopologyKey("kubernetes.io/hostname")
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity()
                .endAffinity()
                .addNewContainer()
                .withName("app")
                .withImage("acme/orders:1.4.0")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        ImageSource image = new ImageSource();
        image.setRef("acme/orders:1.4.0");
        image.setPath("/app/db/migration");

        PodSpec pod = MigrationJob.desired(
                        resource(),
                        run(new ResolvedSource.FromImage(image, Workload.of(workload), ImageSource.Mount.Volume)),
                        RUNNER)
                .getSpec()
                .getTemplate()
                .getSpec();
        PodSpec ofImage = MigrationJob.desired(resource(), run(copied(image)), RUNNER)
                .getSpec()
                .getTemplate()
                .getSpec();

        assertThat(pod.getImagePullSecrets())
                .extracting(secret -> secret.getName())
                .containsExactly("registry-login");
        assertThat(pod.getNodeSelector()).containsExactly(Map.entry("topology.kubernetes.io/zone", "eu-west-1a"));
        assertThat(pod.getTolerations())
                .singleElement()
                .satisfies(toleration -> assertThat(toleration.getValue()).isEqualTo("orders"));
        assertThat(pod.getAffinity().getNodeAffinity()).isNotNull();
        assertThat(pod.getAffinity().getPodAntiAffinity())
                .as("the replicas' spread is theirs")
                .isNull();
        assertThat(ofImage.getImagePullSecrets()).isNullOrEmpty();
        assertThat(ofImage.getAffinity()).isNull();
    }

    @Test
    void whatTheResourceInheritsGoesWhereItIsUsed() {
        DatabaseMigration resource = resource();
        resource.getSpec().setEngine(Engine.command);
        CommandSpec command = new CommandSpec();
        command.setImage("migrate/migrate:v4.20.1");
        command.setHistory(new CommandHistorySpec());
        command.getHistory().setFormat(HistoryFormat.golangMigrate);
        resource.getSpec().setCommand(command);
        ImageSource image = new ImageSource();
        image.setRef("acme/orders:1.4.0");
        image.setPath("/app/db/migration");
        Inheritance inherited = new Inheritance(
                List.of(new EnvVarBuilder()
                        .withName("ORDERS_SETTINGS")
                        .withValue("/etc/db-client")
                        .build()),
                List.of(new EnvFromSourceBuilder()
                        .withNewConfigMapRef()
                        .withName("orders-settings")
                        .endConfigMapRef()
                        .build()),
                List.of(new VolumeBuilder()
                        .withName("db-client")
                        .withNewSecret()
                        .withSecretName("orders-db-client")
                        .endSecret()
                        .build()),
                List.of(new VolumeMountBuilder()
                        .withName("db-client")
                        .withMountPath("/etc/db-client")
                        .build()),
                "orders",
                null);
        ResolvedSource source = new ResolvedSource.FromImage(image, null, ImageSource.Mount.Volume, inherited);

        PodSpec pod = MigrationJob.desired(resource, run(source, resource), RUNNER)
                .getSpec()
                .getTemplate()
                .getSpec();
        PodSpec plain = MigrationJob.desired(
                        resource, run(new ResolvedSource.FromImage(image, ImageSource.Mount.Volume), resource), RUNNER)
                .getSpec()
                .getTemplate()
                .getSpec();

        Container tool = pod.getInitContainers().stream()
                .filter(c -> c.getName().equals(MigrationJob.TOOL_CONTAINER))
                .findFirst()
                .orElseThrow();
        Container runner = pod.getContainers().get(0);
        assertThat(tool.getEnv())
                .extracting(EnvVar::getName)
                .containsExactly("ORDERS_SETTINGS", RunnerEnvironment.TARGET);
        assertThat(tool.getEnvFrom())
                .as("the run's connection last, so that it wins")
                .extracting(from -> from.getConfigMapRef() != null
                        ? from.getConfigMapRef().getName()
                        : from.getSecretRef().getName())
                .containsExactly("orders-settings", "orders-abcdef0123-2-connection");
        assertThat(tool.getVolumeMounts()).extracting(VolumeMount::getMountPath).contains("/etc/db-client");
        assertThat(runner.getVolumeMounts())
                .extracting(VolumeMount::getMountPath)
                .contains("/etc/db-client");
        assertThat(runner.getEnv()).extracting(EnvVar::getName).doesNotContain("ORDERS_SETTINGS");
        assertThat(pod.getVolumes()).extracting(Volume::getName).contains("db-client");
        assertThat(pod.getServiceAccountName()).isEqualTo("orders");
        assertThat(pod.getAutomountServiceAccountToken())
                .as("as the pods choose: the account's default")
                .isNull();
        assertThat(plain.getServiceAccountName()).isNull();
        assertThat(plain.getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void noSidecarIsInjectedIntoARunnerPodUnlessTheResourceAsks() {
        DatabaseMigration meshed = resource();
        JobSpec job = new JobSpec();
        job.setPodLabels(Map.of(MigrationJob.ISTIO_INJECT, "true"));
        meshed.getSpec().setJob(job);

        Job plain = MigrationJob.desired(resource(), run(configMaps("orders-migrations")), RUNNER);
        Job asked = MigrationJob.desired(meshed, run(configMaps("orders-migrations"), meshed), RUNNER);

        assertThat(plain.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry(MigrationJob.ISTIO_INJECT, "false");
        assertThat(asked.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry(MigrationJob.ISTIO_INJECT, "true");
    }

    @Test
    void anImageSourceToCopyIsCopiedOutByAnInitContainer() {
        ImageSource image = new ImageSource();
        image.setRef("acme/orders:1.4.0");
        image.setPath("/app/db/migration");
        PodSpec pod = MigrationJob.desired(resource(), run(copied(image)), RUNNER)
                .getSpec()
                .getTemplate()
                .getSpec();

        Container copy = pod.getInitContainers().get(0);
        assertThat(copy.getImage()).isEqualTo("acme/orders:1.4.0");
        assertThat(copy.getCommand()).containsExactly("cp", "-R", "/app/db/migration/.", "/schemagate/migrations/");
        assertThat(copy.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    }

    /** An image source that an init container copies out. */
    private static ResolvedSource copied(ImageSource image) {
        return new ResolvedSource.FromImage(image, ImageSource.Mount.Copy);
    }

    private static ResolvedSource configMaps(String... names) {
        return new ResolvedSource.FromConfigMaps(MigrationSet.of(Map.of()), List.of(names));
    }

    private static PlannedRun run(ResolvedSource source) {
        return run(source, resource());
    }

    private static PlannedRun run(ResolvedSource source, DatabaseMigration resource) {
        RunSettings settings = RunSettings.of(resource);
        return new PlannedRun(
                source,
                settings,
                "abcdef0123456789",
                2,
                "dbkey",
                JobNames.of("orders", "abcdef0123456789", 2),
                7,
                "again",
                null);
    }

    private static DatabaseMigration resource() {
        DatabaseSpec database = new DatabaseSpec();
        database.setUrl("jdbc:postgresql://db:5432/orders");
        CredentialsSecret credentials = new CredentialsSecret();
        credentials.setName("creds");
        credentials.setUsernameKey("user");
        database.setCredentialsSecret(credentials);
        SourceSpec source = new SourceSpec();
        source.setConfigMaps(List.of(new ConfigMapSource("a")));
        DatabaseMigrationSpec spec = new DatabaseMigrationSpec();
        spec.setDatabase(database);
        spec.setSource(source);
        // The opt-in label may be copied from an application's pod template: a runner must never be held.
        spec.getJob().setPodLabels(Map.of("team", "shop", Gating.MIGRATION_LABEL, "orders"));
        DatabaseMigration resource = new DatabaseMigration();
        resource.getMetadata().setName("orders");
        resource.getMetadata().setNamespace("shop");
        resource.getMetadata().setUid("uid-1");
        resource.setSpec(spec);
        return resource;
    }

    private static EnvVar env(Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private record Runner(
            String image,
            String imagePullPolicy,
            long runAsUser,
            String cpuRequest,
            String memoryRequest,
            String memoryLimit,
            String tmpSizeLimit,
            int finishedJobsKept,
            Optional<ImageSource.Mount> imageMount)
            implements SchemaGateConfig.Runner {}
}
