package io.schemagate.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionTest {

    @Test
    void ordersNumericallyPartByPart() {
        List<Version> versions = new ArrayList<>(List.of(
                Version.parse("1.10"),
                Version.parse("2"),
                Version.parse("1.9"),
                Version.LATEST,
                Version.parse("1.9.1"),
                Version.parse("1")));
        Collections.shuffle(versions);
        Collections.sort(versions);

        assertThat(versions).extracting(Version::toString).containsExactly("1", "1.9", "1.9.1", "1.10", "2", "latest");
    }

    @ParameterizedTest
    @CsvSource({"1.0, 1", "1.0.0, 1", "01, 1", "2024_01_15, 2024.1.15", "LATEST, latest"})
    void equalVersions(String left, String right) {
        assertThat(Version.parse(left)).isEqualTo(Version.parse(right)).hasSameHashCodeAs(Version.parse(right));
    }

    @Test
    void displaysUnderscoresAsDots() {
        assertThat(Version.parse("2024_01_15")).hasToString("2024.01.15");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v1", "1.", ".1", "1..2", "1.a", "next", "1-2"})
    void rejectsWhatIsNotAVersion(String text) {
        assertThat(Version.isValid(text)).isFalse();
        assertThatThrownBy(() -> Version.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a version");
    }

    @ParameterizedTest
    @CsvSource({"1.9, 1.10", "1, 1.0.1", "2, 10", "1.2.3, 1.2.10", "0.9, 1"})
    void agreesWithFlyway(String lower, String higher) {
        assertThat(Version.parse(lower)).isLessThan(Version.parse(higher));
        assertThat(MigrationVersion.fromVersion(lower)).isLessThan(MigrationVersion.fromVersion(higher));
    }
}
