package io.schemagate.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdbcUrlsTest {

    @Test
    void removesUserInfoAndMasksPasswordParameters() {
        assertThat(JdbcUrls.withoutCredentials("jdbc:postgresql://admin:s3cret@db:5432/postgres?sslmode=require"))
                .isEqualTo("jdbc:postgresql://db:5432/postgres?sslmode=require");
        assertThat(JdbcUrls.withoutCredentials("jdbc:postgresql://db/app?user=app&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/app?user=app&password=****&ssl=true");
        assertThat(JdbcUrls.withoutCredentials("jdbc:postgresql://db/app")).isEqualTo("jdbc:postgresql://db/app");
    }

    @Test
    void findsTheSecretsRawAndDecoded() {
        assertThat(JdbcUrls.secretsIn("jdbc:postgresql://u:p%40ss@db/app?PASSWORD=x%2By"))
                .containsExactlyInAnyOrder("u:p%40ss", "u:p@ss", "x%2By", "x+y");
        assertThat(JdbcUrls.secretsIn("jdbc:postgresql://db:5432/app?user=app")).isEmpty();
    }

    @Test
    void anAtSignInTheQueryIsNotUserInfo() {
        assertThat(JdbcUrls.withoutCredentials("jdbc:postgresql://db/app?options=a@b"))
                .isEqualTo("jdbc:postgresql://db/app?options=a@b");
    }
}
