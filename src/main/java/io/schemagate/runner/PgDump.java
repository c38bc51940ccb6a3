package io.schemagate.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which of the image's pg_dump binaries dumps a server: the one of the server's major version, else
 * the oldest newer one. pg_dump reads servers up to its own version and refuses newer ones, and a
 * dump restores with a pg_restore at least as new as the pg_dump that wrote it, so the closest
 * version is the one that keeps restoring easy. Debian and Ubuntu keep each client version in
 * {@code /usr/lib/postgresql/<major>/bin}.
 */
record PgDump(Path binary, int major) {
    static final Path CLIENTS = Path.of("/usr/lib/postgresql");
    private static final Pattern MAJOR_FOLDER = Pattern.compile("[0-9]+");

    /** @return empty when every pg_dump under {@code clients} is older than the server */
    static Optional<PgDump> forServer(int serverMajor, Path clients) throws IOException {
        return installed(clients).stream().filter(dump -> dump.major() >= serverMajor)
                .min(Comparator.comparingInt(PgDump::major));
    }

    /** Every client version the image has, oldest first. */
    static List<PgDump> installed(Path clients) throws IOException {
        if (!Files.isDirectory(clients)) {
            return List.of();
        }
        try (Stream<Path> folders = Files.list(clients)) {
            return folders.filter(folder -> MAJOR_FOLDER.matcher(folder.getFileName().toString()).matches())
                    .map(folder -> new PgDump(folder.resolve("bin/pg_dump"),
                            Integer.parseInt(folder.getFileName().toString())))
                    .filter(dump -> Files.isExecutable(dump.binary()))
                    .sorted(Comparator.comparingInt(PgDump::major)).toList();
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

    @Override
    public String toString() {
        return "pg_dump " + major + " (" + binary + ")";
    }
}
