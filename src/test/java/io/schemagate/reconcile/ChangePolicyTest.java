package io.schemagate.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.api.SecretKeyReference;
import io.schemagate.db.Engine;
import io.schemagate.db.HistoryFormat;
import io.schemagate.engine.Engines;
import io.schemagate.engine.RunSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangePolicyTest {

    @Test
    void flywayPlaceholdersAreReplacedAsFlywayWouldBeforeTheScriptIsParsed() {
        RunSettings flyway = settings(Engine.flyway);

        String sql = flyway.engine()
                .asRun(
                        "CREATE TABLE ${flyway:defaultSchema}.t (owner text DEFAULT"
                                + " '${owner}'); ALTER ROLE app PASSWORD '${password}'; SELECT '${unknown}', '${open",
                        flyway);

        assertThat(sql)
                .isEqualTo("CREATE TABLE app.t (owner text DEFAULT 'team-a'); ALTER ROLE app PASSWORD"
                        + " 'secret'; SELECT '${unknown}', '${open");
        RunSettings sqlx = settings(Engine.sqlx);
        assertThat(sqlx.engine().asRun("SELECT '${owner}'", sqlx))
                .as("sqlx has no placeholders")
                .isEqualTo("SELECT '${owner}'");
    }

    private static RunSettings settings(Engine engine) {
        return new RunSettings(
                Engines.of(engine),
                engine == Engine.sqlx ? HistoryFormat.sqlx : HistoryFormat.flyway,
                List.of("app"),
                "flyway_schema_history",
                "latest",
                false,
                "1",
                false,
                Map.of("owner", "team-a"),
                Map.of("password", new SecretKeyReference()),
                "10s",
                "0",
                false,
                null,
                null,
                false,
                null,
                null,
                null,
                null);
    }
}
