package io.schemagate.runner;

import io.schemagate.contract.ErrorKind;
import io.schemagate.contract.Failure;
import io.schemagate.contract.MigrationResult;
import io.schemagate.db.InvalidIndexes;
import io.schemagate.db.SqlStates;
import io.schemagate.db.Version;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.flywaydb.core.internal.exception.FlywayMigrateException;

/**
 * One migrate run: read where the schema is, refuse a target behind it, migrate (Flyway validates
 * first), and describe what happened. Never throws: every failure becomes a {@link MigrationResult}.
 */
public final class FlywayMigrator {

    private final FlywayFactory factory = new FlywayFactory();
    private final FailureClassifier classifier = new FailureClassifier();
    private final RunnerConsole console;

    public FlywayMigrator(RunnerConsole console) {
        this.console = console;
    }

    public MigrationResult migrate(RunnerSettings settings) {
        String from = null;
        Set<String> outsideTransaction = new HashSet<>();
        List<MigrateOutput> applied = new ArrayList<>();
        try {
            Flyway flyway = factory.create(settings, console, outsideTransaction);
            MigrationInfoService before = flyway.info();
            from = versionOf(before.current());
            if (isBehind(settings.target(), from)) {
                return MigrationResult.failed(
                        Failure.of(
                                ErrorKind.TargetBehindDatabase,
                                "The target version " + settings.target() + " is below the schema's current version "
                                        + from + "; nothing was changed (SchemaGate never migrates a schema down)"),
                        from,
                        from,
                        0);
            }
            String adopted = null;
            if (settings.adopt() != null) {
                Optional<Failure> refused = adoptRefusal(settings, before);
                if (refused.isPresent()) {
                    return MigrationResult.failed(refused.get(), from, from, 0);
                }
                // Flyway's own way to take over a database built without it: a baseline row at the version.
                console.info("Adopting the database at version " + settings.adopt() + " (flyway baseline)");
                flyway.baseline();
                adopted = settings.adopt();
            }
            List<String> invalid = invalidIndexes(flyway, settings);
            if (!invalid.isEmpty()) {
                return MigrationResult.failed(
                        Failure.of(ErrorKind.InvalidIndex, InvalidIndexes.describe(invalid) + "; nothing was changed"),
                        from,
                        from,
                        0);
            }
            while (true) {
                try {
                    // Flyway validates first, under its lock: a validation of its own before would read
                    // every script and row once more.
                    applied.addAll(flyway.migrate().migrations);
                    break;
                } catch (FlywayValidateException e) {
                    // Nothing was migrated; Flyway's report says which scripts and rows disagree.
                    ValidateResult validation = flyway.validateWithResult();
                    return MigrationResult.failed(
                            validation.validationSuccessful ? report(e) : classifier.classify(validation, before.all()),
                            from,
                            from,
                            0);
                } catch (FlywayMigrateException e) {
                    applied.addAll(e.getErrorResult().migrations);
                    Optional<String> refused = refusedInTransaction(e).filter(outsideTransaction::add);
                    if (refused.isEmpty()) {
                        throw e;
                    }
                    // PostgreSQL rolled the script back whole: nothing of it is applied, it can run again.
                    console.info("PostgreSQL refuses to run " + refused.get() + " inside a transaction; running"
                            + " it again outside one, statement by statement");
                    flyway = factory.create(settings, console, outsideTransaction);
                }
            }
            // What the run applied tells where the schema is now: no second read of the history needed.
            // Adopting happens on an empty history only: the schema then starts at the adopted version.
            String to = highest(adopted == null ? from : adopted, applied);
            return MigrationResult.succeeded(from, to, latestScript(before), applied.size())
                    .withAdopted(adopted);
        } catch (FlywayMigrateException e) {
            return MigrationResult.failed(report(e), from, highest(from, applied), applied.size());
        } catch (RuntimeException e) {
            return MigrationResult.failed(report(e), from, highest(from, applied), applied.size());
        }
    }

    /** spec.adopt is for a schema whose history has no row yet, and for a version the scripts have. */
    private static Optional<Failure> adoptRefusal(RunnerSettings settings, MigrationInfoService before) {
        if (before.applied().length > 0) {
            return Optional.of(Failure.of(
                    ErrorKind.AdoptRefused,
                    settings.table() + " already has "
                            + before.applied().length + " rows: spec.adopt records a history only where there is none;"
                            + " remove spec.adopt; nothing was recorded"));
        }
        Version version = Version.parse(settings.adopt());
        boolean known = Arrays.stream(before.all())
                .anyMatch(migration -> migration.getVersion() != null
                        && Version.parse(migration.getVersion().getVersion()).equals(version));
        if (!known) {
            return Optional.of(Failure.of(
                    ErrorKind.AdoptRefused,
                    "spec.adopt.version " + version + " is not the version of any script; nothing was recorded"));
        }
        return Optional.empty();
    }

    /** Invalid indexes in the managed schemas, which a script that creates them would trip over. */
    private static List<String> invalidIndexes(Flyway flyway, RunnerSettings settings) {
        try (Connection connection = flyway.getConfiguration().getDataSource().getConnection()) {
            return InvalidIndexes.in(connection, settings.schemas(), 0);
        } catch (SQLException e) {
            throw new FlywayException("Cannot look for invalid indexes", e);
        }
    }

    /**
     * The script of a transactional migration PostgreSQL refused because a statement in it cannot run
     * inside a transaction block (SQLSTATE 25001): CREATE INDEX CONCURRENTLY, VACUUM and the like.
     * PostgreSQL is the judge of which statements these are, so no list of them is kept here.
     */
    private static Optional<String> refusedInTransaction(FlywayMigrateException failure) {
        if (!failure.isExecutableInTransaction()
                || failure.getMigration() == null
                || !SqlStates.ACTIVE_SQL_TRANSACTION.equals(FailureClassifier.sqlStateOf(failure))) {
            return Optional.empty();
        }
        return Optional.ofNullable(failure.getMigration().getScript());
    }

    private Failure report(RuntimeException error) {
        Failure failure = classifier.classify(error);
        if (failure.kind() == ErrorKind.Unknown) {
            console.error("Unexpected failure", error);
        }
        return failure;
    }

    private static boolean isBehind(Version target, String current) {
        return current != null && target.compareTo(Version.parse(current)) < 0;
    }

    /** The version the schema is left at after a partial run (out-of-order runs may apply lower ones). */
    private static String highest(String from, List<MigrateOutput> applied) {
        Optional<Version> highestApplied = applied.stream()
                .map(output -> output.version)
                .filter(version -> version != null && !version.isEmpty())
                .map(Version::parse)
                .max(Version::compareTo);
        Optional<Version> before = Optional.ofNullable(from).map(Version::parse);
        return highestApplied
                .filter(version ->
                        before.map(start -> version.compareTo(start) > 0).orElse(true))
                .or(() -> before)
                .map(Version::toString)
                .orElse(null);
    }

    /** The highest version among the scripts found: a schema at it has everything this source declares. */
    private static String latestScript(MigrationInfoService info) {
        return Arrays.stream(info.all())
                .filter(migration ->
                        migration.getVersion() != null && migration.getState().isResolved())
                .map(migration -> Version.parse(migration.getVersion().getVersion()))
                .max(Version::compareTo)
                .map(Version::toString)
                .orElse(null);
    }

    private static String versionOf(MigrationInfo current) {
        return current == null || current.getVersion() == null
                ? null
                : current.getVersion().getVersion();
    }
}
