package io.schemagate.db;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Masks credentials in any text the runner emits, whatever produced it (Flyway, the JDBC driver, an
 * exception message): the password and whatever credentials the JDBC URL carries.
 */
public final class Redactor {

    /** How deep a chain of causes is copied: a cycle or a runaway chain ends there. */
    private static final int MAX_CAUSES = 20;

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    public static Redactor forCredentials(@Nullable String jdbcUrl, @Nullable String password) {
        return forCredentials(jdbcUrl, password, List.of());
    }

    /** @param otherSecrets further values to mask: placeholders read from Secrets, say */
    public static Redactor forCredentials(
            @Nullable String jdbcUrl, @Nullable String password, Collection<String> otherSecrets) {
        List<String> secrets = new ArrayList<>();
        otherSecrets.stream()
                .filter(secret -> secret != null && !secret.isEmpty())
                .forEach(secrets::add);
        if (password != null && !password.isEmpty()) {
            secrets.add(password);
        }
        if (jdbcUrl != null) {
            secrets.addAll(JdbcUrls.secretsIn(jdbcUrl));
        }
        // Messages are made one line (runs of whitespace become one space) before they are redacted:
        // a secret with a line break or a tab must be found in that form too.
        List.copyOf(secrets).stream()
                .map(secret -> secret.replaceAll("\\s+", " ").trim())
                .filter(oneLine -> !oneLine.isEmpty() && !secrets.contains(oneLine))
                .forEach(secrets::add);
        // Longest first, so a secret that contains another is masked whole.
        secrets.sort(Comparator.comparingInt(String::length).reversed());
        return new Redactor(List.copyOf(secrets));
    }

    /**
     * A copy of the error for a log: each message of it and of its causes redacted, each stack trace
     * kept, and the class of each named at the start of its message (the copy is of a class of its own).
     */
    public Throwable redactError(Throwable error) {
        return redactError(error, MAX_CAUSES);
    }

    private Throwable redactError(Throwable error, int causesLeft) {
        Throwable cause = error.getCause();
        RedactedError copy = new RedactedError(
                error.getClass().getName() + (error.getMessage() == null ? "" : ": " + redact(error.getMessage())),
                cause == null || cause == error || causesLeft == 0 ? null : redactError(cause, causesLeft - 1));
        copy.setStackTrace(error.getStackTrace());
        for (Throwable suppressed : error.getSuppressed()) {
            copy.addSuppressed(redactError(suppressed, 0));
        }
        return copy;
    }

    /** An error as a log may show it, of whatever class it was. */
    private static final class RedactedError extends Exception {
        private static final long serialVersionUID = 1L;

        RedactedError(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    public @Nullable String redact(@Nullable String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, JdbcUrls.MASK);
        }
        return result;
    }
}
