package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.testbed.TestBed;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Pods created while the operator starts: the webhook answers "not yet" at once, and the start is
 * not held up by it. A webhook that asked the operator whether it had started waited on the lock
 * the start holds, on the event loop the start needs, and the operator failed to start.
 */
class WebhookDuringStartIT {
    private static final Duration PACE = Duration.ofMillis(20);

    @Test
    void admissionRequestsDuringTheStartNeitherWaitNorHoldTheStartUp() throws Exception {
        int port = Webhooks.freePort();
        AtomicBoolean starting = new AtomicBoolean(true);
        AtomicInteger notYet = new AtomicInteger();
        Thread requests = new Thread(() -> sendWhileStarting(port, starting, notYet), "admission-requests");
        requests.start();
        try (OperatorProcess operator =
                OperatorProcess.start(TestBed.get(), Map.of("SCHEMAGATE_WEBHOOK_PORT", Integer.toString(port)))) {
            starting.set(false);
            requests.join();

            assertThat(notYet)
                    .as("requests answered 503 while the operator started")
                    .hasPositiveValue();
            assertThat(operator.isAlive()).isTrue();
            assertThat(operator.log()).doesNotContain("has been blocked for");
        } finally {
            starting.set(false);
        }
    }

    /** Admission reviews one after another, from before the webhook listens until the start is over. */
    private static void sendWhileStarting(int port, AtomicBoolean starting, AtomicInteger notYet) {
        HttpClient client = HttpClient.newBuilder()
                .sslContext(Webhooks.trustingEveryone())
                .connectTimeout(Duration.ofSeconds(1))
                .build();
        HttpRequest review = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/mutate/pods"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"admission.k8s.io/v1\","
                        + "\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"1\"}}"))
                .build();
        while (starting.get()) {
            try {
                HttpResponse<String> response = client.send(review, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 503) {
                    notYet.incrementAndGet();
                }
            } catch (IOException notListeningYet) {
                // Tried again below, until the webhook listens.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            // Paced, so that the requests leave the operator's start its share of the two cores.
            LockSupport.parkNanos(PACE.toNanos());
        }
    }
}
