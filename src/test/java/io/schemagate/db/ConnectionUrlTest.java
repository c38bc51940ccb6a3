package io.schemagate.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConnectionUrlTest {

    @Test
    void aJdbcUrlWithoutUserInformationIsPassedOnAsItIs() throws Exception {
        String url = "jdbc:postgresql://db:5432/orders?sslmode=require&options=-c+x&password=p";

        ConnectionUrl parsed = ConnectionUrl.parse(url);

        assertThat(parsed.jdbcUrl()).isEqualTo(url);
        assertThat(parsed.user()).isNull();
        assertThat(parsed.password()).isNull();
    }

    @Test
    void aJdbcUrlsUserInformationBecomesItsCredentials() throws Exception {
        ConnectionUrl parsed = ConnectionUrl.parse("jdbc:postgresql://app:s%40cret@db:5432/app?sslmode=disable");

        assertThat(parsed.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app?sslmode=disable");
        assertThat(parsed.user()).isEqualTo("app");
        assertThat(parsed.password()).isEqualTo("s@cret");
    }

    /** CloudNativePG's uri, a host list, and a password of every character a URL reserves. */
    @Test
    void aLibpqUriBecomesTheDriversUrlAndItsCredentials() throws Exception {
        ConnectionUrl parsed = ConnectionUrl.parse("postgres://app:p%40ss%3Aw%2Frd%25@primary:5432,replica:5433/app"
                + "?sslmode=verify-full&sslrootcert=/etc/ca.crt&application_name=orders%20api"
                + "&target_session_attrs=read-write&options=-c%20search_path%3Dv2&connect_timeout=5");

        assertThat(parsed.jdbcUrl())
                .isEqualTo("jdbc:postgresql://primary:5432,replica:5433/app?sslmode=verify-full"
                        + "&sslrootcert=%2Fetc%2Fca.crt&ApplicationName=orders%20api&targetServerType=primary"
                        + "&options=-c%20search_path%3Dv2&connectTimeout=5");
        assertThat(parsed.user()).isEqualTo("app");
        assertThat(parsed.password()).isEqualTo("p@ss:w/rd%");
    }

    @Test
    void aPlusInALibpqUriIsAPlusAsLibpqReadsIt() throws Exception {
        ConnectionUrl parsed = ConnectionUrl.parse("postgresql://app:a+b@db/app");

        assertThat(parsed.password()).isEqualTo("a+b");
        assertThat(parsed.jdbcUrl()).isEqualTo("jdbc:postgresql://db/app");
    }

    @Test
    void userAndPasswordParametersAreCredentialsToo() throws Exception {
        ConnectionUrl parsed = ConnectionUrl.parse("postgresql://db:5432/app?user=app&password=secret");

        assertThat(parsed.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app");
        assertThat(parsed.user()).isEqualTo("app");
        assertThat(parsed.password()).isEqualTo("secret");
    }

    @Test
    void aCredentialsSecretWinsOverTheUrls() throws Exception {
        ConnectionUrl parsed = ConnectionUrl.parse("postgresql://url-user:url-password@db/app");

        assertThat(parsed.connection("migrator", "secret"))
                .isEqualTo(new DatabaseConnection("jdbc:postgresql://db/app", "migrator", "secret"));
        assertThat(parsed.connection(null, null))
                .isEqualTo(new DatabaseConnection("jdbc:postgresql://db/app", "url-user", "url-password"));
    }

    @Test
    void anUnknownSchemeIsRefusedWithTheFormsToWrite() {
        assertThatThrownBy(() -> ConnectionUrl.parse("mysql://app:secret@db/app"))
                .isInstanceOf(ConnectionUrl.InvalidUrl.class)
                .hasMessageContaining("scheme mysql: is not PostgreSQL's")
                .hasMessageContaining("postgresql://user:password@host:5432/database")
                .hasMessageNotContaining("secret");
    }

    @Test
    void aParameterTheDriverCannotTakeIsRefusedByName() {
        assertThatThrownBy(() -> ConnectionUrl.parse("postgresql://app:secret@db/app?gssencmode=disable"))
                .isInstanceOf(ConnectionUrl.InvalidUrl.class)
                .hasMessageContaining("parameter gssencmode")
                .hasMessageContaining("sslmode")
                .hasMessageNotContaining("secret");
    }

    @Test
    void anUnbalancedPercentIsRefusedWithoutEchoingThePassword() {
        assertThatThrownBy(() -> ConnectionUrl.parse("postgresql://app:50%off-secret@db/app"))
                .isInstanceOf(ConnectionUrl.InvalidUrl.class)
                .hasMessageContaining("password has a % that is not followed by two hexadecimal digits")
                .hasMessageNotContaining("off-secret")
                .hasMessageNotContaining("50%");
    }

    @Test
    void aUrlWithoutAHostIsRefused() {
        assertThatThrownBy(() -> ConnectionUrl.parse("postgresql:///app"))
                .isInstanceOf(ConnectionUrl.InvalidUrl.class)
                .hasMessageContaining("names no host");
        assertThatThrownBy(() -> ConnectionUrl.parse("postgresql://a,,b/app"))
                .isInstanceOf(ConnectionUrl.InvalidUrl.class)
                .hasMessageContaining("empty one in its host list");
    }

    @Test
    void itsTextNeverHoldsThePassword() throws Exception {
        assertThat(ConnectionUrl.parse("postgresql://app:hunter2@db/app").toString())
                .doesNotContain("hunter2");
    }
}
