package io.schemagate.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void masksThePasswordAndUrlCredentials() {
        Redactor redactor = Redactor.forCredentials("jdbc:postgresql://admin:pa%40ss@db/app?password=other", "secret");

        assertThat(redactor.redact("secret admin:pa%40ss admin:pa@ss other jdbc:postgresql://db/app"))
                .isEqualTo("**** **** **** **** jdbc:postgresql://db/app");
    }

    @Test
    void masksALongerSecretWhole() {
        Redactor redactor = Redactor.forCredentials("jdbc:postgresql://db/app?password=abcdef", "abc");

        assertThat(redactor.redact("abcdef")).isEqualTo("****");
    }

    @Test
    void leavesTextWithoutSecretsAlone() {
        assertThat(Redactor.forCredentials("jdbc:postgresql://db/app", null).redact("nothing to hide"))
                .isEqualTo("nothing to hide");
        assertThat(Redactor.forCredentials(null, "").redact(null)).isNull();
    }

    @Test
    void findsASecretInAMessageWhoseWhitespaceWasMadeOneLine() {
        Redactor redactor = Redactor.forCredentials("jdbc:postgresql://db/app", "two\nline\tsecret");

        assertThat(redactor.redact("failed for two line secret today")).isEqualTo("failed for **** today");
        assertThat(redactor.redact("raw two\nline\tsecret")).isEqualTo("raw ****");
    }

    /** What a log prints of an error: every message in its chain, each with its class, none with the password. */
    @Test
    void anErrorForTheLogKeepsItsChainAndStackButNoCredential() {
        Redactor redactor = Redactor.forCredentials("jdbc:postgresql://app:hunter2@db/app", "s3cret");
        java.io.IOException cause = new java.io.IOException("the socket to app:hunter2@db closed");
        IllegalStateException error = new IllegalStateException("login with s3cret refused", cause);
        error.addSuppressed(new RuntimeException("also s3cret"));

        Throwable logged = redactor.redactError(error);
        java.io.StringWriter printed = new java.io.StringWriter();
        logged.printStackTrace(new java.io.PrintWriter(printed));

        assertThat(printed.toString())
                .doesNotContain("s3cret")
                .doesNotContain("hunter2")
                .contains("java.lang.IllegalStateException: login with")
                .contains("Caused by: ")
                .contains("java.io.IOException: the socket to")
                .contains("Suppressed: ")
                .contains("java.lang.RuntimeException: also")
                .contains("RedactorTest.anErrorForTheLogKeepsItsChainAndStackButNoCredential");
        assertThat(logged.getStackTrace()).isEqualTo(error.getStackTrace());
    }

    @Test
    void aCauseChainThatLoopsEnds() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);

        Throwable logged = Redactor.forCredentials(null, "pw").redactError(second);

        assertThat(logged.getCause()).isNotNull();
        assertThat(java.util.stream.Stream.iterate(logged, t -> t != null, Throwable::getCause)
                        .count())
                .isLessThanOrEqualTo(21);
    }
}
