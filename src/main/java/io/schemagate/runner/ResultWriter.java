package io.schemagate.runner;

import io.schemagate.contract.MigrationResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reports a run twice: the JSON result into the file Kubernetes turns into the container's
 * termination message, and a readable summary on stdout for whoever reads the Job's log.
 */
final class ResultWriter {

    private final RunnerConsole console;

    ResultWriter(RunnerConsole console) {
        this.console = console;
    }

    void write(MigrationResult result, Path resultFile) {
        console.info(summary(result));
        String json = result.toJson();
        try {
            Files.writeString(resultFile, json, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            console.error("Cannot write the result to " + resultFile + " (" + e + "); the result was: " + json);
        }
    }

    static String summary(MigrationResult result) {
        StringBuilder line = new StringBuilder("schemagate migrate: ").append(result.outcome());
        if (result.errorKind() != null) {
            line.append(" (").append(result.errorKind()).append(')');
        }
        line.append(", schema version ")
                .append(orNone(result.from()))
                .append(" -> ")
                .append(orNone(result.to()))
                .append(", ")
                .append(result.applied())
                .append(" applied in ")
                .append(result.durationMillis())
                .append(" ms");
        if (result.failedMigration() != null) {
            line.append(", failed migration ").append(result.failedMigration());
        }
        if (result.sqlState() != null) {
            line.append(", SQLSTATE ").append(result.sqlState());
        }
        if (result.message() != null) {
            line.append(System.lineSeparator()).append("  ").append(result.message());
        }
        return line.toString();
    }

    private static String orNone(String version) {
        return version == null ? "(empty)" : version;
    }
}
