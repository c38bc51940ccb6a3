package io.schemagate.runner;

import io.schemagate.contract.Outcome;
import io.schemagate.db.DatabaseConnection;
import io.schemagate.db.ToolConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which of the image's PostgreSQL clients (pg_dump, pg_restore) works with a server: the one of the
 * server's major version, else the oldest newer one. pg_dump reads servers up to its own version and
 * refuses newer ones, and a dump restores with a pg_restore at least as new as the pg_dump that wrote
 * it, so the closest version keeps restoring easy. Debian and Ubuntu keep each client version in
 * {@code /usr/lib/postgresql/<major>/bin}.
 *
 * @param bin the folder of the version's pg_dump and pg_restore
 */
record PgClient(Path bin, int major) {
    static final Path CLIENTS = Path.of("/usr/lib/postgresql");
    private static final Pattern MAJOR_FOLDER = Pattern.compile("[0-9]+");
    private static final int MAX_OUTPUT = 2000;
    private static final String CONNECT_TIMEOUT_SECONDS = "10";

    /** What a client printed, the tail of it, and how it ended. */
    record Outcome(int exitCode, String output) {}

    /** @return empty when every client under {@code clients} is older than the server */
    static Optional<PgClient> forServer(int serverMajor, Path clients) throws IOException {
        return installed(clients).stream()
                .filter(client -> client.major() >= serverMajor)
                .min(Comparator.comparingInt(PgClient::major));
    }

    /** Every client version the image has, oldest first. */
    static List<PgClient> installed(Path clients) throws IOException {
        if (!Files.isDirectory(clients)) {
            return List.of();
        }
        try (Stream<Path> folders = Files.list(clients)) {
            return folders.filter(folder -> MAJOR_FOLDER
                            .matcher(folder.getFileName().toString())
                            .matches())
                    .map(folder -> new PgClient(
                            folder.resolve("bin"),
                            Integer.parseInt(folder.getFileName().toString())))
                    .filter(client -> Files.isExecutable(client.pgDump()))
                    .sorted(Comparator.comparingInt(PgClient::major))
                    .toList();
        }
    }

    /** The major version in {@code server_version_num}: 150004 is 15, 90624 is 9 (9.6 dumps with any newer). */
    static int majorOf(String serverVersionNum) {
        Matcher digits = Pattern.compile("[0-9]+").matcher(serverVersionNum.trim());
        if (!digits.matches()) {
            throw new IllegalArgumentException("not a server_version_num: " + serverVersionNum);
        }
        return Integer.parseInt(serverVersionNum.trim()) / 10_000;
    }

    static String describe(List<PgClient> installed) {
        return installed.isEmpty()
                ? "none under " + CLIENTS
                : installed.stream()
                        .map(client -> Integer.toString(client.major()))
                        .toList()
                        .toString();
    }

    Path pgDump() {
        return bin.resolve("pg_dump");
    }

    Path pgRestore() {
        return bin.resolve("pg_restore");
    }

    /**
     * Runs one of the clients on the connection, handed over in libpq's variables only: the runner's
     * own environment, with its password variable, stays out, and no credential is on a command line.
     */
    Outcome run(Path tool, List<String> arguments, DatabaseConnection connection, String applicationName)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(tool.toString());
        command.addAll(arguments);
        Path output = Files.createTempFile(tool.getFileName().toString(), ".log");
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment(connection, applicationName));
            int exit = builder.start().waitFor();
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            return new Outcome(
                    exit, printed.length() <= MAX_OUTPUT ? printed : printed.substring(printed.length() - MAX_OUTPUT));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Map<String, String> environment(DatabaseConnection connection, String applicationName) {
        Map<String, String> environment = new LinkedHashMap<>(ToolConnection.environment(connection));
        environment.remove("DATABASE_URL");
        environment.put("PGCONNECT_TIMEOUT", CONNECT_TIMEOUT_SECONDS);
        environment.put("PGAPPNAME", applicationName);
        Optional.ofNullable(System.getenv("PATH")).ifPresent(path -> environment.put("PATH", path));
        return environment;
    }

    @Override
    public String toString() {
        return "pg_dump " + major + " (" + pgDump() + ")";
    }
}
