package io.schemagate.contract;

/**
 * The names of the environment variables the operator sets on a Job's containers and the runner
 * reads: its whole input, apart from the scripts. {@code runner.RunnerSettings} is what the
 * runner makes of them.
 */
public final class RunnerEnvironment {
    /** What every setting's name starts with. */
    public static final String PREFIX = "SCHEMAGATE_";

    public static final String ENGINE = "SCHEMAGATE_ENGINE";
    public static final String REHEARSAL = "SCHEMAGATE_REHEARSAL";
    public static final String REHEARSAL_DATABASE = "SCHEMAGATE_REHEARSAL_DATABASE";
    public static final String DIRECTION = "SCHEMAGATE_DIRECTION";
    public static final String ADOPT = "SCHEMAGATE_ADOPT";
    public static final String BACKUP_DIR = "SCHEMAGATE_BACKUP_DIR";
    public static final String BACKUP_NAME = "SCHEMAGATE_BACKUP_NAME";
    public static final String BACKUP_KEEP = "SCHEMAGATE_BACKUP_KEEP";
    public static final String BACKUP_RECORD = "SCHEMAGATE_BACKUP_RECORD";
    public static final String HISTORY_FORMAT = "SCHEMAGATE_HISTORY_FORMAT";
    public static final String PREVIOUS_REVISION = "SCHEMAGATE_PREVIOUS_REVISION";
    public static final String IGNORE_MISSING = "SCHEMAGATE_IGNORE_MISSING";
    public static final String ALEMBIC_CONFIG = "SCHEMAGATE_ALEMBIC_CONFIG";
    /** Where the copied scripts were in the source's image. */
    public static final String SOURCE_PATH = "SCHEMAGATE_SOURCE_PATH";

    public static final String DB_URL = "SCHEMAGATE_DB_URL";
    public static final String DB_USERNAME = "SCHEMAGATE_DB_USERNAME";
    public static final String DB_PASSWORD = "SCHEMAGATE_DB_PASSWORD";
    public static final String MIGRATIONS_DIR = "SCHEMAGATE_MIGRATIONS_DIR";
    public static final String SCHEMAS = "SCHEMAGATE_SCHEMAS";
    public static final String TABLE = "SCHEMAGATE_TABLE";
    public static final String TARGET = "SCHEMAGATE_TARGET";
    public static final String BASELINE_ON_MIGRATE = "SCHEMAGATE_BASELINE_ON_MIGRATE";
    public static final String BASELINE_VERSION = "SCHEMAGATE_BASELINE_VERSION";
    public static final String OUT_OF_ORDER = "SCHEMAGATE_OUT_OF_ORDER";
    public static final String PLACEHOLDERS = "SCHEMAGATE_PLACEHOLDERS";
    /** Followed by a placeholder's name: its value, from a Secret. */
    public static final String SECRET_PLACEHOLDER_PREFIX = "SCHEMAGATE_SECRET_PLACEHOLDER_";

    public static final String RESULT_FILE = "SCHEMAGATE_RESULT_FILE";
    public static final String LOCK_TIMEOUT = "SCHEMAGATE_LOCK_TIMEOUT";
    public static final String STATEMENT_TIMEOUT = "SCHEMAGATE_STATEMENT_TIMEOUT";

    private RunnerEnvironment() {}
}
