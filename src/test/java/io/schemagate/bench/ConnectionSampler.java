package io.schemagate.bench;

import io.schemagate.testbed.TestBed;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The sessions open on the bed's PostgreSQL server, counted once a second from pg_stat_activity
 * over one connection of its own (not counted): those of the operator's history reads (application
 * name {@value #OPERATOR}, set by io.schemagate.db.SchemaHistoryReader) and all client sessions.
 * Reads last tens of milliseconds, so the maximum seen is a lower bound of the real peak.
 */
final class ConnectionSampler implements AutoCloseable {
    static final String OPERATOR = "schemagate";
    private static final String COUNT = "SELECT count(*) FILTER (WHERE application_name = '" + OPERATOR + "'),"
            + " count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()";

    /** One count, at a System.nanoTime() instant. */
    record Sample(long at, int operator, int all) {}

    private final Connection connection;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<Sample> samples = new CopyOnWriteArrayList<>();

    private ConnectionSampler(Connection connection) {
        this.connection = connection;
    }

    static ConnectionSampler start(TestBed bed) throws SQLException {
        ConnectionSampler sampler =
                new ConnectionSampler(DriverManager.getConnection(bed.jdbcUrl(), bed.pgUser(), bed.pgPassword()));
        // sample() reports its own failures, so no failure ends the schedule.
        ScheduledFuture<?> unused = sampler.timer.scheduleAtFixedRate(sampler::sample, 0, 1, TimeUnit.SECONDS);
        return sampler;
    }

    /** The most sessions of the operator seen between two instants. */
    int maxOperator(long from, long to) {
        return between(from, to).stream().mapToInt(Sample::operator).max().orElse(0);
    }

    /** The most client sessions of anyone seen between two instants. */
    int maxAll(long from, long to) {
        return between(from, to).stream().mapToInt(Sample::all).max().orElse(0);
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    /**
     * Sessions ever opened on these databases (pg_stat_database.sessions): the difference between two
     * reads is how many connections were made meanwhile, however short they were.
     */
    static long sessionsOpened(TestBed bed, List<String> databases) throws SQLException {
        try (Connection connection = DriverManager.getConnection(bed.jdbcUrl(), bed.pgUser(), bed.pgPassword());
                PreparedStatement query = connection.prepareStatement(
                        "SELECT coalesce(sum(sessions), 0) FROM pg_stat_database WHERE datname = ANY (?)")) {
            query.setArray(1, connection.createArrayOf("text", databases.toArray()));
            try (ResultSet sum = query.executeQuery()) {
                sum.next();
                return sum.getLong(1);
            }
        }
    }

    private List<Sample> between(long from, long to) {
        return samples.stream()
                .filter(sample -> sample.at() >= from && sample.at() <= to)
                .toList();
    }

    private void sample() {
        try (Statement statement = connection.createStatement();
                ResultSet counts = statement.executeQuery(COUNT)) {
            counts.next();
            samples.add(new Sample(System.nanoTime(), counts.getInt(1), counts.getInt(2)));
        } catch (SQLException e) {
            // A lost sample is a gap in the series, not a reason to stop sampling.
            System.err.println("connection sample failed: " + e.getMessage());
        }
    }

    @Override
    public void close() throws SQLException {
        timer.shutdownNow();
        connection.close();
    }
}
