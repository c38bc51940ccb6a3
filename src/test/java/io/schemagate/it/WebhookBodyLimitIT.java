package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.schemagate.testbed.TestBed;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The webhook reads at most 4 MiB of a review: a larger body is refused with 413 whether it states
 * its length or not, and a review of normal size is still answered with a decision.
 */
class WebhookBodyLimitIT {
    private static final int OVER_THE_LIMIT = 5 * 1024 * 1024;
    private static final String REVIEW = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
            + "\"request\":{\"uid\":\"1\",\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
            + "\"operation\":\"CREATE\",\"namespace\":\"default\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
            + "\"metadata\":{\"name\":\"p\",\"namespace\":\"default\"},\"spec\":{\"containers\":[]}}}}";

    @Test
    void aBodyOverTheLimitIsRefusedAndAReviewIsStillAnswered() throws Exception {
        int port = Webhooks.freePort();
        try (OperatorProcess operator =
                OperatorProcess.start(TestBed.get(), Map.of("SCHEMAGATE_WEBHOOK_PORT", Integer.toString(port)))) {
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .sslContext(Webhooks.trustingEveryone())
                    .build();
            URI uri = URI.create("https://127.0.0.1:" + port + "/mutate/pods");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> send(client, uri, HttpRequest.BodyPublishers.ofString(REVIEW))
                                    .statusCode()
                            == 200);

            byte[] large = padded(OVER_THE_LIMIT);
            HttpResponse<String> stated = send(client, uri, HttpRequest.BodyPublishers.ofByteArray(large));
            HttpResponse<String> streamed =
                    send(client, uri, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large)));

            assertThat(stated.statusCode()).as("with Content-Length").isEqualTo(413);
            assertThat(stated.body()).contains("at most 4194304 bytes");
            assertThat(streamed.statusCode()).as("chunked, without a length").isEqualTo(413);
            HttpResponse<String> after = send(client, uri, HttpRequest.BodyPublishers.ofString(REVIEW));
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(after.body()).contains("\"kind\":\"AdmissionReview\"").contains("\"uid\":\"1\"");
            assertThat(operator.isAlive()).isTrue();
        }
    }

    private static HttpResponse<String> send(HttpClient client, URI uri, HttpRequest.BodyPublisher body)
            throws Exception {
        return client.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json")
                        .POST(body)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A review with a large annotation: valid JSON, only too long. */
    private static byte[] padded(int size) {
        char[] filler = new char[size];
        Arrays.fill(filler, 'x');
        return REVIEW.replace(
                        "\"name\":\"p\",", "\"name\":\"p\",\"annotations\":{\"a\":\"" + new String(filler) + "\"},")
                .getBytes(StandardCharsets.UTF_8);
    }
}
