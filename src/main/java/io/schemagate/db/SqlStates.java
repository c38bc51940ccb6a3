package io.schemagate.db;

import java.util.Set;

/**
 * The SQLSTATEs SchemaGate tells apart, and what they mean for a run or a read of the history: one
 * classification for the operator and the runner alike.
 */
public final class SqlStates {
    /** lock_not_available: the lock timeout passed. */
    public static final String LOCK_NOT_AVAILABLE = "55P03";
    /** The role lacks a privilege, such as CREATEDB for CREATE DATABASE. */
    public static final String INSUFFICIENT_PRIVILEGE = "42501";
    /** query_canceled: the statement timeout passed, or an administrator canceled it. */
    public static final String QUERY_CANCELED = "57014";
    /** active_sql_transaction: the statement cannot run inside a transaction block. */
    public static final String ACTIVE_SQL_TRANSACTION = "25001";
    /** undefined_column: a table without the columns it was expected to have. */
    public static final String UNDEFINED_COLUMN = "42703";

    /** Class 28, invalid authorization specification: a wrong password or an unknown role. */
    private static final String AUTHENTICATION_CLASS = "28";
    /** Class 08, connection exceptions. */
    private static final String CONNECTION_CLASS = "08";
    /** Shutting down, starting, too many connections, the database not (yet) there. */
    private static final Set<String> UNREACHABLE = Set.of("57P01", "57P02", "57P03", "53300", "3D000");

    private SqlStates() {}

    public static boolean isAuthentication(String state) {
        return state != null && state.startsWith(AUTHENTICATION_CLASS);
    }

    /** The server cannot be reached or will not take the session now: worth trying again later. */
    public static boolean isUnreachable(String state) {
        return state != null && (state.startsWith(CONNECTION_CLASS) || UNREACHABLE.contains(state));
    }
}
