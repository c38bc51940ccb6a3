package io.schemagate.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.flywaydb.core.internal.resolver.ChecksumCalculator;
import org.flywaydb.core.internal.resource.StringResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checked against Flyway's own calculator, so a Flyway upgrade that changes it fails here. */
class FlywayChecksumTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "CREATE TABLE a (id int);",
                "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n",
                "\ufeffCREATE TABLE with_bom (id int);\r\n",
                "-- é ü 漢字\nSELECT 'ünïcödé';",
                "",
                "\n\n\n"
            })
    void matchesFlyway(String content) {
        assertThat(FlywayChecksum.of(content)).isEqualTo(ChecksumCalculator.calculate(new StringResource(content)));
    }

    @Test
    void ignoresLineEndingsAndAByteOrderMark() {
        int unix = FlywayChecksum.of("CREATE TABLE a (id int);\nSELECT 1;\n");

        assertThat(FlywayChecksum.of("CREATE TABLE a (id int);\r\nSELECT 1;\r\n"))
                .isEqualTo(unix);
        assertThat(FlywayChecksum.of("\ufeffCREATE TABLE a (id int);\nSELECT 1;\n"))
                .isEqualTo(unix);
        assertThat(FlywayChecksum.of("CREATE TABLE a (id int);\nSELECT 2;\n")).isNotEqualTo(unix);
    }
}
