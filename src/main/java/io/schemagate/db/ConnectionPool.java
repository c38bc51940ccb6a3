package io.schemagate.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A few idle connections kept open for the operator's reads, across every database it reads, so
 * that the read which follows the end of a run does not pay for a new connection (a TCP handshake
 * and scram-sha-256, tens of milliseconds). Bounded in all: a fleet of hundreds of databases holds
 * at most {@code maxIdle} connections between reads. A connection is kept for the exact URL, user
 * and password it was opened with, so a rotated password is used from the next read on, and the
 * connections of the old one are closed.
 */
public final class ConnectionPool implements AutoCloseable {
    /** Reconciles of one resource never overlap; a second one serves another resource on the same database. */
    private static final int MAX_IDLE_PER_DATABASE = 2;

    /** Work done on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T on(Connection connection) throws SQLException;
    }

    /** Opens a new connection. */
    @FunctionalInterface
    public interface Opener {
        Connection open() throws SQLException;
    }

    private record Idle(DatabaseConnection target, Connection connection, Instant since) {}

    private final int maxIdle;
    private final Duration idleTimeout;
    private final Clock clock;
    /** Oldest first. Guarded by itself. */
    private final ArrayDeque<Idle> idle = new ArrayDeque<>();

    /** Null for a pool whose expired connections are closed only by the next read. */
    private @Nullable ScheduledExecutorService sweeper;

    /**
     * @param maxIdle connections kept open between reads, in all; 0 opens one for each read
     * @param idleTimeout how long an unused connection is kept
     */
    public ConnectionPool(int maxIdle, Duration idleTimeout, Clock clock) {
        if (maxIdle < 0 || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("maxIdle and idleTimeout must not be negative");
        }
        this.maxIdle = maxIdle;
        this.idleTimeout = idleTimeout;
        this.clock = clock;
    }

    /** A pool whose idle connections are also closed on time when no read comes to notice it. */
    public static ConnectionPool sweptEvery(Duration period, int maxIdle, Duration idleTimeout) {
        ConnectionPool pool = new ConnectionPool(maxIdle, idleTimeout, Clock.systemUTC());
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "schemagate-idle-connections");
            thread.setDaemon(true);
            return thread;
        });
        pool.sweeper = sweeper;
        long millis = Math.max(1, period.toMillis());
        // closeExpired swallows what a close throws, so no failure ends the schedule.
        ScheduledFuture<?> unused =
                sweeper.scheduleWithFixedDelay(pool::closeExpired, millis, millis, TimeUnit.MILLISECONDS);
        return pool;
    }

    /**
     * Runs the work on an idle connection to the target, or on a new one; the connection is kept
     * afterwards unless the work failed. Work on a kept connection that fails because the connection
     * is gone (the server restarted, or closed it) is run once more on a new one: the work must be
     * harmless to repeat, as reads are.
     */
    public <T> T withConnection(DatabaseConnection target, Opener opener, Work<T> work) throws SQLException {
        Connection kept = take(target);
        if (kept != null) {
            try {
                T result = work.on(kept);
                giveBack(target, kept);
                return result;
            } catch (SQLException e) {
                close(List.of(kept));
                if (!SqlStates.isUnreachable(e.getSQLState())) {
                    throw e;
                }
            }
        }
        Connection fresh = opener.open();
        try {
            T result = work.on(fresh);
            giveBack(target, fresh);
            return result;
        } catch (SQLException | RuntimeException e) {
            close(List.of(fresh));
            throw e;
        }
    }

    /** How many connections are idle now. */
    public int idleCount() {
        synchronized (idle) {
            return idle.size();
        }
    }

    /** Closes the connections idle for longer than the timeout. */
    public void closeExpired() {
        Instant oldest = clock.instant().minus(idleTimeout);
        close(removeIf(entry -> entry.since().isBefore(oldest)));
    }

    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        close(removeIf(entry -> true));
    }

    /** The newest idle connection to the target; those opened with an older password are closed. */
    private @Nullable Connection take(DatabaseConnection target) {
        closeExpired();
        close(removeIf(
                entry -> sameLogin(entry.target(), target) && !entry.target().equals(target)));
        synchronized (idle) {
            Iterator<Idle> newestFirst = idle.descendingIterator();
            while (newestFirst.hasNext()) {
                Idle entry = newestFirst.next();
                if (entry.target().equals(target)) {
                    newestFirst.remove();
                    return entry.connection();
                }
            }
        }
        return null;
    }

    private void giveBack(DatabaseConnection target, Connection connection) {
        List<Connection> surplus = new ArrayList<>();
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            close(List.of(connection));
            return;
        }
        synchronized (idle) {
            idle.addLast(new Idle(target, connection, clock.instant()));
            while (idle.stream().filter(entry -> entry.target().equals(target)).count() > MAX_IDLE_PER_DATABASE) {
                Idle oldest = idle.stream()
                        .filter(entry -> entry.target().equals(target))
                        .findFirst()
                        .orElseThrow();
                idle.remove(oldest);
                surplus.add(oldest.connection());
            }
            while (idle.size() > maxIdle) {
                surplus.add(idle.removeFirst().connection());
            }
        }
        close(surplus);
    }

    private List<Connection> removeIf(Predicate<Idle> condition) {
        List<Connection> removed = new ArrayList<>();
        synchronized (idle) {
            idle.removeIf(entry -> {
                if (condition.test(entry)) {
                    removed.add(entry.connection());
                    return true;
                }
                return false;
            });
        }
        return removed;
    }

    private static boolean sameLogin(DatabaseConnection one, DatabaseConnection other) {
        return one.jdbcUrl().equals(other.jdbcUrl()) && Objects.equals(one.username(), other.username());
    }

    /** Outside the lock: closing says goodbye to the server, which may take a moment. */
    private static void close(List<Connection> connections) {
        for (Connection connection : connections) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closed already, or the server is gone: either way nothing is left to release.
            }
        }
    }
}
