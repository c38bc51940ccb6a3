package io.schemagate.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.schemagate.gate.GatedPods;
import io.schemagate.gate.KnownMigrations;
import io.schemagate.support.Json;
import io.schemagate.testsupport.Bounded;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The webhook's admission reviews, generated: bodies that are not reviews are refused without
 * repeating what they hold (a pod's review carries its environment, passwords and all, and the API
 * server logs a webhook's refusal), and reviews of any shape are answered, never thrown on.
 */
class AdmissionReviewPropertiesTest {
    private static final Duration EACH = Duration.ofSeconds(2);
    private static final String SECRET = "hunter2-do-not-echo";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final KnownMigrations known = new KnownMigrations();
    private final PodAdmission pods = new PodAdmission(known);
    private final MigrationAdmission migrations = new MigrationAdmission(
            (user, namespace, name) -> new ApprovalAuthorizer.Access(name.hashCode() % 2 == 0, ""), SERIALIZATION);

    @Property(tries = 2000)
    void aBodyIsReadOrRefusedWithoutEchoingIt(@ForAll("bodies") String body) {
        String outcome = Bounded.call(EACH, () -> {
            try {
                AdmissionReview review = AdmissionReviews.read(SERIALIZATION, body);
                return review.getRequest() == null ? "no request" : "read";
            } catch (AdmissionReviews.Unreadable refused) {
                assertThat(refused.getMessage()).doesNotContain(SECRET).hasSizeLessThan(300);
                return "refused";
            }
        });
        Statistics.collect(outcome);
    }

    AdmissionReviewPropertiesTest() {
        known.attach(
                PodAdmissionTest.cacheOf(GatedPods.resource("3", false, false, List.of())),
                Set.of(GatedPods.NAMESPACE));
    }

    @Property(tries = 2000)
    void everyReviewIsAnswered(@ForAll("reviews") String body) {
        String outcome = Bounded.call(EACH, () -> {
            AdmissionReview review;
            try {
                review = AdmissionReviews.read(SERIALIZATION, body);
            } catch (AdmissionReviews.Unreadable refused) {
                return "unreadable";
            }
            if (review.getRequest() == null) {
                return "no request";
            }
            AdmissionResponse pod = pods.review(review.getRequest());
            AdmissionResponse migration = migrations.review(review.getRequest());
            assertThat(pod.getAllowed()).isNotNull();
            assertThat(migration.getAllowed()).isNotNull();
            if (!migration.getAllowed()) {
                assertThat(migration.getStatus().getMessage()).startsWith("SchemaGate: ");
            }
            return migration.getAllowed() ? "allowed" : "refused";
        });
        Statistics.collect(outcome);
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> planted = Arbitraries.strings().all().ofMaxLength(60);
        return Arbitraries.oneOf(
                Combinators.combine(planted, planted).as((a, b) -> a + SECRET + b),
                Combinators.combine(planted, reviews())
                        .as((junk, review) -> review.replace("\"uid\"", "\"" + SECRET + "\":" + junk + ",\"uid\"")),
                reviews()
                        .flatMap(review -> Arbitraries.integers()
                                .between(0, review.length())
                                .map(cut -> review.substring(0, cut) + SECRET)),
                Arbitraries.of(
                        "{\"request\":{\"object\":{\"kind\":\"" + SECRET + "\"}}}",
                        "{\"request\":" + SECRET + "}",
                        "{\"request\":{\"uid\":[\"" + SECRET + "\"]}}",
                        "[\"" + SECRET + "\"]",
                        "\"" + SECRET + "\""));
    }

    @Provide
    Arbitrary<String> reviews() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.of("schemagate.io/approve", "schemagate.io/approved-by", "orders", ""));
        // Mostly what the API server sends; now and then a value of another type than the schema's.
        Arbitrary<Object> value = Arbitraries.frequencyOf(
                Tuple.of(12, text.map(t -> (Object) t)),
                Tuple.of(1, Arbitraries.integers().map(i -> (Object) i)),
                Tuple.of(1, Arbitraries.just(null)),
                Tuple.of(1, Arbitraries.maps(text, text).ofMaxSize(3).map(m -> (Object) m)));
        Arbitrary<Map<String, Object>> annotations =
                Arbitraries.maps(text, value).ofMaxSize(4);
        Arbitrary<Map<String, Object>> object = Combinators.combine(
                        Arbitraries.of("Pod", "DatabaseMigration", "Secret", ""),
                        annotations,
                        Arbitraries.maps(text, value).ofMaxSize(3))
                .as((kind, notes, spec) -> Map.of(
                        "apiVersion",
                        kind.equals("Pod") ? "v1" : "schemagate.io/v1alpha1",
                        "kind",
                        kind,
                        "metadata",
                        Map.of(
                                "name",
                                "orders",
                                "namespace",
                                GatedPods.NAMESPACE,
                                "annotations",
                                notes,
                                "labels",
                                Map.of("schemagate.io/migration", "orders")),
                        "spec",
                        spec));
        // Now and then an object without metadata, or a user without a name.
        Arbitrary<Map<String, Object>> objects = Arbitraries.frequencyOf(
                Tuple.of(9, object), Tuple.of(1, Arbitraries.just(Map.of("kind", "DatabaseMigration"))));
        Arbitrary<Map<String, Object>> users = Arbitraries.of(
                Map.of("username", "alice", "groups", List.of("system:authenticated")),
                Map.of("username", "bob", "groups", List.of()),
                Map.of("groups", List.of("")),
                Map.of());
        return Combinators.combine(
                        Arbitraries.of("CREATE", "UPDATE", "DELETE", "CONNECT", "", "create"),
                        objects,
                        objects.injectNull(0.3),
                        users)
                .as((operation, updated, old, user) -> Json.write(Map.of(
                        "apiVersion", "admission.k8s.io/v1",
                        "kind", "AdmissionReview",
                        "request",
                                nullable(
                                        Map.of(
                                                "uid",
                                                "u-1",
                                                "operation",
                                                operation,
                                                "namespace",
                                                GatedPods.NAMESPACE,
                                                "userInfo",
                                                user,
                                                "object",
                                                updated),
                                        "oldObject",
                                        old))));
    }

    private static Map<String, Object> nullable(Map<String, Object> map, String key, Object value) {
        if (value == null) {
            return map;
        }
        Map<String, Object> all = new HashMap<>(map);
        all.put(key, value);
        return all;
    }
}
