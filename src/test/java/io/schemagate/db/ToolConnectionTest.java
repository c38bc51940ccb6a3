package io.schemagate.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The connection other tools are handed, from what SchemaGate connects with. */
class ToolConnectionTest {

    @Test
    void anyPasswordSurvivesTheUrlAndTheLibpqVariablesCarryItAsIs() {
        String password = "p@ss:w/rd?#% +é";
        Map<String, String> env = ToolConnection.environment(new DatabaseConnection(
                "jdbc:postgresql://db.shop:6432/orders?sslmode=disable&ApplicationName=x", "app", password));

        URI url = URI.create(env.get("DATABASE_URL"));
        assertThat(url.getScheme()).isEqualTo("postgresql");
        assertThat(url.getHost()).isEqualTo("db.shop");
        assertThat(url.getPort()).isEqualTo(6432);
        assertThat(url.getRawPath()).isEqualTo("/orders");
        assertThat(url.getRawQuery()).isEqualTo("sslmode=disable");
        String[] userInfo = url.getRawUserInfo().split(":", -1);
        assertThat(URLDecoder.decode(userInfo[0], StandardCharsets.UTF_8)).isEqualTo("app");
        assertThat(decodePercent(userInfo[1])).isEqualTo(password);
        assertThat(env)
                .containsEntry("PGHOST", "db.shop")
                .containsEntry("PGPORT", "6432")
                .containsEntry("PGDATABASE", "orders")
                .containsEntry("PGUSER", "app")
                .containsEntry("PGPASSWORD", password)
                .containsEntry("PGSSLMODE", "disable");
    }

    /** An application's variable of one of these names is not handed to a tool: see {@link ToolConnection#VARIABLES}. */
    @Test
    void everyVariableAToolConnectsWithIsNamedInTheList() {
        Map<String, String> env = ToolConnection.environment(
                new DatabaseConnection("jdbc:postgresql://db:5433/orders?sslmode=verify-full", "app", "secret"),
                HistoryFormat.liquibase);

        assertThat(ToolConnection.VARIABLES).containsAll(env.keySet());
    }

    @Test
    void credentialsInTheUrlOfASecretAreUsedWhenNoneAreGiven() {
        Map<String, String> env = ToolConnection.environment(
                new DatabaseConnection("jdbc:postgresql://db/orders?user=app&password=s%40cret", null, null));

        assertThat(env.get("DATABASE_URL")).isEqualTo("postgresql://app:s%40cret@db/orders");
        assertThat(env)
                .containsEntry("PGPORT", "5432")
                .containsEntry("PGPASSWORD", "s@cret")
                .doesNotContainKey("PGSSLMODE");
    }

    @Test
    void userInfoBeforeTheHostIsTakenAsCredentialsNotAsAHost() {
        Map<String, String> env = ToolConnection.environment(
                new DatabaseConnection("jdbc:postgresql://app:s%3Acret@db:5433/orders", null, null));

        assertThat(env.get("DATABASE_URL")).isEqualTo("postgresql://app:s%3Acret@db:5433/orders");
        assertThat(env)
                .containsEntry("PGHOST", "db")
                .containsEntry("PGPORT", "5433")
                .containsEntry("PGUSER", "app")
                .containsEntry("PGPASSWORD", "s:cret");
    }

    /** Percent-decoding alone: '+' stays a plus, as in a URL's user info. */
    private static String decodePercent(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
