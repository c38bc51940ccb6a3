package io.schemagate.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.contract.MigrationResult;
import io.schemagate.support.Json;
import io.schemagate.testsupport.Bounded;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The runner's result document, as the operator reads it from a pod's termination message, where
 * anything the container printed last may stand: read as a result, or taken for none, never a
 * failed reconcile. Generated as JSON objects of the result's own fields with values of any type,
 * and as text cut anywhere.
 */
class RunnerResultPropertiesTest {
    private static final Duration EACH = Duration.ofSeconds(2);
    /** The result's own fields, and one it does not have. */
    private static final List<String> FIELDS = Stream.concat(
                    Arrays.stream(MigrationResult.class.getRecordComponents()).map(RecordComponent::getName),
                    Stream.of("unknown"))
            .toList();

    @Property(tries = 3000)
    void aResultDocumentIsReadOrTakenForNone(@ForAll("documents") String document) {
        Optional<MigrationResult> read = Bounded.call(EACH, () -> RunRecords.resultOf(document));
        read.ifPresent(result -> assertThat(result.outcome()).isNotNull());
        Statistics.collect(read.isPresent() ? "read" : "none");
    }

    @Provide
    Arbitrary<String> documents() {
        Arbitrary<Object> value = Arbitraries.oneOf(
                Arbitraries.of("Succeeded", "Failed", "Running", "MigrationFailed", "Down", "Up", "nope", ""),
                Arbitraries.strings().all().ofMaxLength(50),
                Arbitraries.longs(),
                Arbitraries.doubles(),
                Arbitraries.of(true, false),
                Arbitraries.just(null),
                Arbitraries.strings().ofMaxLength(5).list().ofMaxSize(3).map(list -> (Object) list),
                Arbitraries.just(Map.of("file", 1, "sizeBytes", "x")));
        Arbitrary<String> object = Arbitraries.maps(Arbitraries.of(FIELDS), value)
                .ofMaxSize(FIELDS.size())
                .map(Json::write);
        return Arbitraries.oneOf(
                object,
                object.flatMap(
                        json -> Arbitraries.integers().between(0, json.length()).map(cut -> json.substring(0, cut))),
                Arbitraries.strings().all().ofMaxLength(200).map(text -> "{" + text));
    }
}
