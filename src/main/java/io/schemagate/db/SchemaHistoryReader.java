package io.schemagate.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads an engine's history table over plain JDBC, read-only, without the engine: the database is
 * the source of truth for which revision a schema is at.
 */
public final class SchemaHistoryReader {

    private static final String APPLICATION_NAME = "schemagate";

    private final Duration timeout;
    private final ConnectionPool pool;

    /**
     * @param timeout bounds connecting and each query, so a hung database cannot stall the caller
     * @param pool where connections are kept between reads
     */
    public SchemaHistoryReader(Duration timeout, ConnectionPool pool) {
        this.timeout = timeout;
        this.pool = pool;
    }

    /** A reader that opens a connection for each read and closes it after. */
    public SchemaHistoryReader(Duration timeout) {
        this(timeout, new ConnectionPool(0, Duration.ZERO, Clock.systemUTC()));
    }

    public SchemaHistoryReader() {
        this(Duration.ofSeconds(10));
    }

    /** @throws SQLException when the database cannot be reached or read; its SQLSTATE says why */
    public SchemaRevision read(DatabaseConnection connection, HistoryTable table) throws SQLException {
        return read(connection, table, List.of());
    }

    /**
     * The history, and the invalid indexes of the given schemas, over one connection.
     *
     * @throws SQLException when the database cannot be reached or read; its SQLSTATE says why
     */
    public SchemaRevision read(DatabaseConnection connection, HistoryTable table, List<String> schemas)
            throws SQLException {
        return read(connection, table, schemas, List.of());
    }

    /**
     * The history, the invalid indexes of the given schemas and what the verify checks find, over one
     * connection; the checks in read-only transactions ({@link SchemaChecks}).
     *
     * @throws SQLException when the database cannot be reached or read; its SQLSTATE says why (a
     *     check that fails on its own is a result, not an exception)
     */
    public SchemaRevision read(
            DatabaseConnection connection, HistoryTable table, List<String> schemas, List<VerifyCheck> checks)
            throws SQLException {
        return pool.withConnection(
                connection, () -> DriverManager.getConnection(connection.jdbcUrl(), properties(connection)), jdbc -> {
                    jdbc.setReadOnly(true);
                    SchemaRevision revision = read(jdbc, table);
                    if (!schemas.isEmpty()) {
                        revision = revision.withInvalidIndexes(InvalidIndexes.in(jdbc, schemas, queryTimeoutSeconds()));
                    }
                    return revision.withChecks(SchemaChecks.run(jdbc, checks, queryTimeoutSeconds()));
                });
    }

    /**
     * The history over a connection the caller holds: the runner's, inside its migration lock.
     *
     * @throws SQLException when the history cannot be read; its SQLSTATE says why
     */
    public SchemaRevision read(Connection jdbc, HistoryTable table) throws SQLException {
        if (!exists(jdbc, table.schema(), table.table())) {
            return SchemaRevision.withoutHistoryTable();
        }
        return switch (table.format()) {
            case alembic -> SchemaRevision.named(List.of(), NamedRevision.ofHeads(alembicHeads(jdbc, table)));
            case liquibase -> liquibase(jdbc, table, rows(jdbc, table));
            default -> SchemaRevision.fromHistory(rows(jdbc, table));
        };
    }

    /** Alembic keeps one row per head and nothing else: which revisions lie below is in the scripts. */
    private List<String> alembicHeads(Connection jdbc, HistoryTable table) throws SQLException {
        List<String> heads = new ArrayList<>();
        try (Statement statement = jdbc.createStatement()) {
            statement.setQueryTimeout(queryTimeoutSeconds());
            try (ResultSet result = statement.executeQuery(
                    "SELECT version_num FROM " + table.qualifiedName() + " ORDER BY version_num")) {
                while (result.next()) {
                    heads.add(result.getString(1));
                }
            }
        } catch (SQLException e) {
            throw SqlStates.UNDEFINED_COLUMN.equals(e.getSQLState())
                    ? new UnexpectedHistoryTableException(table, e)
                    : e;
        }
        return heads;
    }

    /**
     * Liquibase's changesets in the order they ran; the ids and tags a pod may ask for, newest first;
     * and its lock, which a run that died holding it leaves taken until someone releases it.
     */
    private SchemaRevision liquibase(Connection jdbc, HistoryTable table, List<AppliedMigration> rows)
            throws SQLException {
        Set<String> reached = new LinkedHashSet<>();
        String tag = null;
        for (int i = rows.size() - 1; i >= 0; i--) {
            AppliedMigration row = rows.get(i);
            if (row.tag() != null) {
                reached.add(row.tag());
                tag = tag == null ? row.tag() : tag;
            }
            reached.add(row.description());
        }
        List<String> last =
                rows.isEmpty() ? List.of() : List.of(rows.get(rows.size() - 1).description());
        return SchemaRevision.named(
                rows,
                new NamedRevision(
                        last,
                        List.copyOf(reached),
                        tag,
                        liquibaseLock(jdbc, new HistoryTable(table.format(), table.schema(), table.table() + "lock"))));
    }

    private @Nullable String liquibaseLock(Connection jdbc, HistoryTable lockTable) throws SQLException {
        if (!exists(jdbc, lockTable.schema(), lockTable.table())) {
            return null;
        }
        try (Statement statement = jdbc.createStatement()) {
            statement.setQueryTimeout(queryTimeoutSeconds());
            try (ResultSet result = statement.executeQuery("SELECT lockedby, lockgranted FROM "
                    + lockTable.qualifiedName() + " WHERE locked ORDER BY id LIMIT 1")) {
                if (!result.next()) {
                    return null;
                }
                Timestamp granted = result.getTimestamp("lockgranted");
                return lockTable + " is held by "
                        + Objects.requireNonNullElse(result.getString("lockedby"), "an unknown client")
                        + (granted == null ? "" : " since " + granted.toInstant());
            }
        }
    }

    private Properties properties(DatabaseConnection connection) {
        Properties properties = new Properties();
        if (connection.username() != null) {
            properties.setProperty("user", connection.username());
        }
        if (connection.password() != null) {
            properties.setProperty("password", connection.password());
        }
        String seconds = Long.toString(Math.max(1, timeout.toSeconds()));
        properties.setProperty("connectTimeout", seconds);
        properties.setProperty("loginTimeout", seconds);
        properties.setProperty("socketTimeout", seconds);
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        return properties;
    }

    private boolean exists(Connection jdbc, String schema, String tableName) throws SQLException {
        String sql = "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = ? AND tablename = ?";
        try (PreparedStatement statement = jdbc.prepareStatement(sql)) {
            statement.setString(1, schema);
            statement.setString(2, tableName);
            statement.setQueryTimeout(queryTimeoutSeconds());
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        }
    }

    private List<AppliedMigration> rows(Connection jdbc, HistoryTable table) throws SQLException {
        String sql = switch (table.format()) {
            case flyway ->
                "SELECT installed_rank, version, description, type, script, checksum, installed_on, success FROM "
                        + table.qualifiedName() + " ORDER BY installed_rank";
            case sqlx ->
                "SELECT version, description, encode(checksum, 'hex') AS checksum, installed_on, success FROM "
                        + table.qualifiedName() + " ORDER BY version";
            case golangMigrate -> "SELECT version, dirty FROM " + table.qualifiedName();
            // The newest row of each version says whether it is applied: goose before 3.x wrote a row
            // with is_applied = false when it undid one. Version 0 is goose's own first row.
            case goose ->
                "SELECT version, tstamp FROM (SELECT DISTINCT ON (version_id) version_id AS version,"
                        + " is_applied, tstamp FROM " + table.qualifiedName() + " WHERE version_id > 0"
                        + " ORDER BY version_id, id DESC) AS newest WHERE is_applied ORDER BY version";
            case dbmate -> "SELECT version FROM " + table.qualifiedName() + " ORDER BY version";
            case liquibase ->
                "SELECT id, author, filename, dateexecuted, orderexecuted, exectype, md5sum, tag FROM "
                        + table.qualifiedName() + " ORDER BY orderexecuted, dateexecuted";
            case alembic -> throw new IllegalStateException("alembic_version holds heads, not a row per migration");
        };
        if (table.format() == HistoryFormat.dbmate && hasColumn(jdbc, table, "dirty")) {
            // golang-migrate's table of the same name, whose single row dbmate's reading would misread.
            throw new UnexpectedHistoryTableException(
                    table, new SQLException("it has golang-migrate's dirty column", SqlStates.UNDEFINED_COLUMN));
        }
        List<AppliedMigration> rows = new ArrayList<>();
        try (Statement statement = jdbc.createStatement()) {
            statement.setQueryTimeout(queryTimeoutSeconds());
            try (ResultSet result = statement.executeQuery(sql)) {
                while (result.next()) {
                    rows.add(
                            switch (table.format()) {
                                case flyway -> flywayRow(result);
                                case sqlx -> sqlxRow(rows.size() + 1, result);
                                case golangMigrate -> golangMigrateRow(result);
                                case goose -> gooseRow(rows.size() + 1, result);
                                case dbmate -> dbmateRow(rows.size() + 1, result);
                                case liquibase -> liquibaseRow(result);
                                case alembic -> throw new IllegalStateException("not reached");
                            });
                }
            }
        } catch (SQLException e) {
            if (SqlStates.UNDEFINED_COLUMN.equals(e.getSQLState())) {
                throw new UnexpectedHistoryTableException(table, e);
            }
            throw e;
        }
        return rows;
    }

    /** sqlx keeps no rank, script name nor type: its rows are ordered by version and all plain SQL. */
    private static AppliedMigration sqlxRow(int rank, ResultSet result) throws SQLException {
        Timestamp installedOn = result.getTimestamp("installed_on");
        return new AppliedMigration(
                rank,
                Version.parse(Long.toString(result.getLong("version"))),
                result.getString("description"),
                AppliedMigration.SQL_TYPE,
                null,
                result.getString("checksum"),
                installedOn == null ? null : installedOn.toInstant(),
                result.getBoolean("success"));
    }

    /**
     * golang-migrate keeps one row: the version it reached, and whether the script that got it there
     * failed half-way (dirty), which reads as a failed row.
     */
    private static AppliedMigration golangMigrateRow(ResultSet result) throws SQLException {
        return new AppliedMigration(
                1,
                Version.parse(Long.toString(result.getLong("version"))),
                "",
                AppliedMigration.SQL_TYPE,
                null,
                null,
                null,
                !result.getBoolean("dirty"));
    }

    private static AppliedMigration gooseRow(int rank, ResultSet result) throws SQLException {
        Timestamp installedOn = result.getTimestamp("tstamp");
        return new AppliedMigration(
                rank,
                Version.parse(Long.toString(result.getLong("version"))),
                "",
                AppliedMigration.SQL_TYPE,
                null,
                null,
                installedOn == null ? null : installedOn.toInstant(),
                true);
    }

    /**
     * A changeset as Liquibase names it, {@code file::id::author}; its id is what a pod may ask for.
     * Every row is a changeset Liquibase ran or marked ran: it records no half-applied ones.
     */
    private static AppliedMigration liquibaseRow(ResultSet result) throws SQLException {
        Timestamp installedOn = result.getTimestamp("dateexecuted");
        String id = result.getString("id");
        return new AppliedMigration(
                result.getInt("orderexecuted"),
                null,
                id,
                result.getString("exectype"),
                result.getString("filename") + "::" + id + "::" + result.getString("author"),
                result.getString("md5sum"),
                installedOn == null ? null : installedOn.toInstant(),
                true,
                result.getString("tag"));
    }

    /** dbmate keeps versions as text: the numeric prefix of each script's name. */
    private static AppliedMigration dbmateRow(int rank, ResultSet result) throws SQLException {
        String version = result.getString("version").trim();
        if (!Version.isValid(version)) {
            throw new SQLException("dbmate version '" + version + "' is not a number", SqlStates.UNDEFINED_COLUMN);
        }
        return new AppliedMigration(
                rank, Version.parse(version), "", AppliedMigration.SQL_TYPE, null, null, null, true);
    }

    private boolean hasColumn(Connection jdbc, HistoryTable table, String column) throws SQLException {
        String sql = "SELECT 1 FROM information_schema.columns WHERE table_schema = ? AND table_name = ?"
                + " AND column_name = ?";
        try (PreparedStatement statement = jdbc.prepareStatement(sql)) {
            statement.setString(1, table.schema());
            statement.setString(2, table.table());
            statement.setString(3, column);
            statement.setQueryTimeout(queryTimeoutSeconds());
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        }
    }

    private static AppliedMigration flywayRow(ResultSet result) throws SQLException {
        String version = result.getString("version");
        Timestamp installedOn = result.getTimestamp("installed_on");
        return new AppliedMigration(
                result.getInt("installed_rank"),
                version == null ? null : Version.parse(version),
                result.getString("description"),
                result.getString("type"),
                result.getString("script"),
                result.getString("checksum"),
                installedOn == null ? null : installedOn.toInstant(),
                result.getBoolean("success"));
    }

    private int queryTimeoutSeconds() {
        return (int) Math.max(1, timeout.toSeconds());
    }
}
