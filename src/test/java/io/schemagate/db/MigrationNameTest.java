package io.schemagate.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MigrationNameTest {

    @Test
    void parsesAVersionedMigration() {
        MigrationName name = MigrationName.parse("V1.2__add_orders_table.sql").orElseThrow();

        assertThat(name.isVersioned()).isTrue();
        assertThat(name.version()).isEqualTo(Version.parse("1.2"));
        assertThat(name.description()).isEqualTo("add orders table");
        assertThat(name.script()).isEqualTo("V1.2__add_orders_table.sql");
    }

    @Test
    void parsesARepeatableMigration() {
        MigrationName name = MigrationName.parse("R__orders_view.sql").orElseThrow();

        assertThat(name.isVersioned()).isFalse();
        assertThat(name.version()).isNull();
        assertThat(name.description()).isEqualTo("orders view");
    }

    @Test
    void acceptsUnderscoreSeparatedVersionsAndAnUpperCaseSuffix() {
        assertThat(MigrationName.parse("V2024_01_15__x.SQL").orElseThrow().version())
                .isEqualTo(Version.parse("2024.1.15"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "V1__x.sql.bak", "notes.txt"})
    void ignoresFilesThatAreNotSqlScripts(String fileName) {
        assertThat(MigrationName.parse(fileName)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "V1_one_underscore.sql",
                "V__no_version.sql",
                "Vx__bad_version.sql",
                "R1__versioned_repeatable.sql",
                "create_tables.sql",
                "U1__undo.sql",
                "Vlatest__x.sql"
            })
    void rejectsSqlScriptsFlywayWouldRefuse(String fileName) {
        assertThatThrownBy(() -> MigrationName.parse(fileName))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(fileName + ":");
    }
}
