package io.schemagate.runner;

import io.schemagate.contract.BackupRecord;
import io.schemagate.contract.ErrorKind;
import io.schemagate.contract.Failure;
import io.schemagate.contract.MigrationResult;
import io.schemagate.contract.RunnerEnvironment;
import io.schemagate.support.Json;
import io.schemagate.support.Timestamps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code backup}: the step before a run changes anything (spec.backup). Dumps the run's schemas with
 * pg_dump in its custom format into the backup volume, under a name that sorts by time, then deletes
 * the resource's dumps beyond the newest {@code keep}. A dump is written under a hidden name first and
 * renamed once complete, so a failed or interrupted one never looks like a backup. Never throws.
 */
final class BackupStep {
    static final String SUFFIX = ".dump";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private final RunnerConsole console;
    private final Path clients;
    private final Clock clock;
    private final FailureClassifier classifier = new FailureClassifier();

    BackupStep(RunnerConsole console, Path clients, Clock clock) {
        this.console = console;
        this.clients = clients;
        this.clock = clock;
    }

    MigrationResult backup(RunnerSettings settings) {
        RunnerSettings.Backup backup = settings.backup();
        if (backup == null || backup.dir() == null) {
            return failed(
                    "the backup step needs " + RunnerEnvironment.BACKUP_DIR + " and " + RunnerEnvironment.BACKUP_RECORD,
                    ErrorKind.InvalidConfiguration);
        }
        Path dir = backup.dir();
        if (!Files.isDirectory(dir)) {
            return failed(
                    "the backup volume is not mounted at " + dir + "; nothing was migrated", ErrorKind.BackupFailed);
        }
        if (!Files.isWritable(dir)) {
            return failed(
                    "the backup volume at " + dir + " is not writable (read-only, or owned by another user"
                            + " than the runner's); nothing was migrated",
                    ErrorKind.BackupFailed);
        }
        int serverMajor;
        try (Connection connection = RunnerSessions.dataSource(settings).getConnection()) {
            serverMajor = PgClient.majorOf(SqlStatements.single(connection, "SHOW server_version_num"));
        } catch (SQLException e) {
            return MigrationResult.failed(classifier.classify(e), null, null, 0);
        }
        try {
            Optional<PgClient> pgDump = PgClient.forServer(serverMajor, clients);
            if (pgDump.isEmpty()) {
                return failed(
                        "the runner image has no pg_dump for PostgreSQL " + serverMajor + " (it has "
                                + PgClient.describe(PgClient.installed(clients))
                                + "); use an image with a newer PostgreSQL"
                                + " client; nothing was migrated",
                        ErrorKind.BackupFailed);
            }
            return dump(settings, pgDump.get());
        } catch (IOException e) {
            return failed(
                    "the dump could not be written to " + dir + ": " + e.getMessage() + "; nothing was migrated",
                    ErrorKind.BackupFailed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("the backup was interrupted; nothing was migrated", ErrorKind.BackupFailed);
        }
    }

    private MigrationResult dump(RunnerSettings settings, PgClient client) throws IOException, InterruptedException {
        RunnerSettings.Backup backup = settings.backup();
        Instant started = clock.instant();
        String file = backup.name() + "-" + STAMP.format(started) + SUFFIX;
        Path partial = backup.dir().resolve("." + file + ".partial");
        List<String> arguments = new ArrayList<>(List.of("--format=custom", "--no-password", "--file=" + partial));
        // pg_dump takes a share lock on every table it dumps: bounded like the run's own locks, so that
        // a long transaction holding one makes the backup fail instead of hang.
        if (!"0".equals(settings.lockTimeout())) {
            arguments.add("--lock-wait-timeout=" + settings.lockTimeout());
        }
        settings.schemas().forEach(schema -> arguments.add("--schema=" + schema));
        console.info("Dumping "
                + (settings.schemas().isEmpty() ? "the database" : "schemas " + String.join(", ", settings.schemas()))
                + " with " + client);
        long start = System.nanoTime();
        PgClient.Outcome outcome;
        try {
            outcome = client.run(client.pgDump(), arguments, settings.connection(), "schemagate-backup");
        } catch (IOException | InterruptedException e) {
            // A partial dump must never look like a backup.
            Files.deleteIfExists(partial);
            throw e;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (outcome.exitCode() != 0) {
            Files.deleteIfExists(partial);
            return failed(
                    client + " exited with code " + outcome.exitCode() + ": "
                            + outcome.output().strip() + "; nothing was migrated",
                    ErrorKind.BackupFailed);
        }
        Path dump = Files.move(partial, backup.dir().resolve(file), StandardCopyOption.ATOMIC_MOVE);
        BackupRecord record = new BackupRecord(
                file, Files.size(dump), millis, Timestamps.format(clock.instant()), "pg_dump " + client.major());
        List<Path> deleted = prune(backup);
        console.info("Dumped to " + file + " (" + record.sizeBytes() + " bytes in " + millis + " ms)"
                + (deleted.isEmpty()
                        ? ""
                        : "; deleted the older "
                                + deleted.stream()
                                        .map(path -> path.getFileName().toString())
                                        .toList()));
        Files.writeString(backup.record(), Json.write(record), StandardCharsets.UTF_8);
        return MigrationResult.succeeded(null, null, null, 0).withBackup(record);
    }

    /** The resource's dumps beyond the newest {@code keep}; other files in the volume are never touched. */
    private static List<Path> prune(RunnerSettings.Backup backup) throws IOException {
        Pattern own = Pattern.compile(Pattern.quote(backup.name()) + "-[0-9]{8}T[0-9]{9}Z" + Pattern.quote(SUFFIX));
        List<Path> stale;
        try (Stream<Path> files = Files.list(backup.dir())) {
            stale = files.filter(
                            path -> own.matcher(path.getFileName().toString()).matches())
                    .sorted(Comparator.comparing(
                                    (Path path) -> path.getFileName().toString())
                            .reversed())
                    .skip(backup.keep())
                    .toList();
        }
        for (Path path : stale) {
            Files.deleteIfExists(path);
        }
        return stale;
    }

    private static MigrationResult failed(String message, ErrorKind kind) {
        return MigrationResult.failed(Failure.of(kind, message), null, null, 0);
    }
}
