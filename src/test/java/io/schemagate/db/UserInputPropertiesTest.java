package io.schemagate.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.schemagate.db.history.HistoryDialect;
import io.schemagate.testsupport.Bounded;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * What users write, tried with generated input: script names of every engine and the tools'
 * history formats, Alembic revision files, and the version texts history rows hold. Each parser
 * either reads the input or refuses it with its declared exception; none throws anything else,
 * and none takes long (each try is bounded). Names are built from the pieces the grammars care
 * about, so that most tries reach past the first check.
 */
class UserInputPropertiesTest {
    private static final Duration EACH = Duration.ofSeconds(2);
    private static final Map<String, ScriptConvention> CONVENTIONS = Map.of(
            "flyway", ScriptConvention.FLYWAY, "sqlx", ScriptConvention.SQLX, "tools", ScriptConvention.TOOLS_OWN);

    @Property(tries = 3000)
    void everyEnginesScriptNamesAreReadOrRefusedAsDeclared(@ForAll("scriptNames") String name) {
        for (Map.Entry<String, ScriptConvention> named : CONVENTIONS.entrySet()) {
            ScriptConvention convention = named.getValue();
            Optional<MigrationName> read = Bounded.call(EACH, () -> {
                try {
                    return convention.scriptName(name);
                } catch (IllegalArgumentException refused) {
                    assertThat(refused.getMessage()).startsWith(name + ":");
                    return Optional.<MigrationName>empty();
                }
            });
            Statistics.label(named.getKey()).collect(read.isPresent() ? "read" : "not a script or refused");
        }
        for (HistoryFormat format : HistoryFormat.values()) {
            HistoryDialect dialect = format.dialect();
            assertThatCode(() -> Bounded.call(EACH, () -> dialect.scriptVersion(name)))
                    .as("%s reading %s", format, name)
                    .doesNotThrowAnyException();
        }
    }

    @Property(tries = 1000)
    void aSetOfScriptsIsReadOrItsErrorsListed(@ForAll("scriptSets") Map<String, String> scripts) {
        for (Map.Entry<String, ScriptConvention> named : CONVENTIONS.entrySet()) {
            MigrationSet set = Bounded.call(EACH, () -> MigrationSet.of(named.getValue(), scripts));
            Statistics.label(named.getKey()).collect(set.errors().isEmpty() ? "valid" : "errors listed");
        }
    }

    @Property(tries = 2000)
    void versionsOfHistoryRowsAreReadOrRefusedAsDeclared(@ForAll("versions") String text) {
        boolean valid = Version.isValid(text);
        if (valid) {
            Version version = Bounded.call(EACH, () -> Version.parse(text));
            assertThat(Version.parse(version.toString())).as("read back").isEqualByComparingTo(version);
        } else {
            assertThatCode(() -> Bounded.call(EACH, () -> Version.parse(text)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        for (HistoryFormat format : HistoryFormat.values()) {
            assertThat(Bounded.call(EACH, () -> format.dialect().revisionsOf(text)))
                    .as("%s reading the current label %s", format, text)
                    .isNotNull();
        }
        Statistics.collect(valid ? "a version" : "refused");
    }

    @Property(tries = 2000)
    void alembicRevisionFilesAreReadOrRefusedNamingTheFile(@ForAll("alembicSources") String source) {
        String read = Bounded.call(EACH, () -> {
            try {
                AlembicRevisionFile file = AlembicRevisionFile.parse("versions/x.py", source);
                assertThat(file.revision()).isNotNull();
                return "read";
            } catch (IllegalArgumentException refused) {
                assertThat(refused.getMessage()).startsWith("versions/x.py");
                return "refused";
            }
        });
        Statistics.collect(read);
    }

    @Provide
    Arbitrary<String> scriptNames() {
        Arbitrary<String> prefix = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("V", "R", "")),
                Tuple.of(1, Arbitraries.of("U", "B", "v", "0", "V1", "V1.2", "V1_2", "20240101")));
        Arbitrary<String> version = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(14)),
                Tuple.of(2, Arbitraries.strings().withChars("0123456789._-").ofMaxLength(30)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(20)));
        Arbitrary<String> separator = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("__", "_")), Tuple.of(1, Arbitraries.of("", "___", ".", "-")));
        Arbitrary<String> description = Arbitraries.frequencyOf(
                Tuple.of(
                        4,
                        Arbitraries.strings().alpha().numeric().withChars('_').ofMaxLength(30)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(60)));
        Arbitrary<String> suffix = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(".sql", ".up.sql", ".down.sql")),
                Tuple.of(1, Arbitraries.of(".SQL", ".py", "", ".sql.bak", ".sq", ".conf", ".sql ")));
        return Arbitraries.frequencyOf(
                Tuple.of(
                        8,
                        Combinators.combine(prefix, version, separator, description, suffix)
                                .as((p, v, s, d, x) -> p + v + s + d + x)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(200)));
    }

    @Provide
    Arbitrary<Map<String, String>> scriptSets() {
        return Arbitraries.maps(scriptNames(), Arbitraries.strings().all().ofMaxLength(300))
                .ofMaxSize(12);
    }

    @Provide
    Arbitrary<String> versions() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789._").ofMaxLength(60),
                Arbitraries.of("latest", "LATEST", " 1 ", "1..2", ".1", "1.", "0", "00.0.0", "1_2", "head", "base"),
                Arbitraries.strings().numeric().ofMinLength(30).ofMaxLength(400),
                Arbitraries.strings().all().ofMaxLength(80));
    }

    @Provide
    Arbitrary<String> alembicSources() {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().ofMaxLength(16).map(id -> "'" + id + "'"),
                Arbitraries.strings().alpha().ofMaxLength(16).map(id -> "\"" + id + "\""),
                Arbitraries.of("None", "()", "('a', 'b')", "['a',", "'''", "\"\"\"", "(", "'a' if x else 'b'"));
        Arbitrary<String> line = Arbitraries.oneOf(
                Combinators.combine(
                                Arbitraries.of("revision", "down_revision", "depends_on", "branch_labels", "x"),
                                Arbitraries.of(" = ", "=", ": str = ", " : Union[str, None] = ", " == "),
                                value)
                        .as((name, assign, v) -> name + assign + v),
                Arbitraries.of(
                        "\"\"\"docstring", "'''", "# revision = 'x'", "def upgrade():", "    revision = 'y'", "\\"),
                Arbitraries.strings().all().ofMaxLength(40));
        return line.list().ofMaxSize(20).map(lines -> String.join("\n", lines));
    }
}
