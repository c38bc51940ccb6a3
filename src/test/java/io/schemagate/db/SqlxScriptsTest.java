package io.schemagate.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** sqlx's reading of a migrations folder's file names. */
class SqlxScriptsTest {

    @Test
    void readsVersionAndDescriptionAsSqlxDoes() {
        MigrationName simple =
                SqlxScripts.parse("20250101000001_initial_setup.sql").orElseThrow();
        MigrationName up = SqlxScripts.parse("0012_create-shards.up.sql").orElseThrow();

        assertThat(simple.version()).isEqualTo(Version.parse("20250101000001"));
        assertThat(simple.description()).isEqualTo("initial setup");
        assertThat(up.version()).hasToString("12");
        assertThat(up.description()).isEqualTo("create-shards");
    }

    @Test
    void ignoresDownScriptsAndFilesThatAreNotMigrations() {
        assertThat(SqlxScripts.parse("12_create-shards.down.sql")).isEmpty();
        assertThat(SqlxScripts.parse("README.md")).isEmpty();
        assertThat(SqlxScripts.parse("verify.sql")).isEmpty();
        assertThat(SqlxScripts.parse("1_notes.txt")).isEmpty();
    }

    @Test
    void refusesAMigrationWhoseVersionIsNotAnInteger() {
        assertThatThrownBy(() -> SqlxScripts.parse("verify_schema.sql"))
                .hasMessageStartingWith("verify_schema.sql: not an sqlx migration name");
        assertThatThrownBy(() -> SqlxScripts.parse("99999999999999999999_too_big.sql"))
                .hasMessageStartingWith("99999999999999999999_too_big.sql");
    }

    @Test
    void aSetRefusesTwoForwardScriptsOfOneVersionButTakesAReversiblePair() {
        MigrationSet pair = MigrationSet.of(ScriptConvention.SQLX, Map.of("1_a.up.sql", "x", "1_a.down.sql", "y"));
        MigrationSet clash = MigrationSet.of(ScriptConvention.SQLX, Map.of("1_a.sql", "x", "1_b.up.sql", "y"));

        assertThat(pair.errors()).isEmpty();
        assertThat(pair.versioned()).extracting(Migration::script).containsExactly("1_a.up.sql");
        assertThat(clash.errors()).singleElement().asString().contains("version 1 is also used by");
    }

    @Test
    void knowsWhichScriptsRunOutsideATransaction() {
        assertThat(SqlxScripts.runsOutsideTransaction("-- no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);"))
                .isTrue();
        assertThat(SqlxScripts.runsOutsideTransaction("\n-- no-transaction\n")).isFalse();
    }
}
