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
}
