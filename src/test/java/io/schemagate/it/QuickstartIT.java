package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.schemagate.testbed.TestBed;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code make run} as a newcomer meets it in a terminal, on this bed: the quick start's examples
 * reach Ready, and Ctrl-C, which a terminal sends as SIGINT to its foreground process group, stops
 * it within seconds and leaves nothing of it behind but the bed.
 */
class QuickstartIT {
    private static final List<String> NAMESPACES = List.of("quickstart", "quickstart-sqlx", "quickstart-alembic");
    private static final Duration TO_READY = Duration.ofMinutes(5);
    private static final long STOP_WITHIN_SECONDS = 20;

    private final KubernetesClient client = TestBed.get().client();
    private Process make;

    @Test
    void ctrlCStopsMakeRunWithinSecondsAndLeavesTheBedRunning() throws Exception {
        int httpPort = freePort();
        int webhookPort = freePort();
        // Under target/, where the leak check reads every log: the operator's output is in it.
        Path output = Path.of("target/make-run.log");
        // setsid: make leads a session and process group of its own, as a shell's foreground job does.
        ProcessBuilder builder = new ProcessBuilder("setsid", "make", "run")
                .directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment()
                .put("SCHEMAGATE_TESTBED_STATE", TestBed.get().state().toString());
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        builder.environment().put("SCHEMAGATE_WEBHOOK_PORT", Integer.toString(webhookPort));
        make = builder.start();
        long group = make.pid();

        await("the three examples Ready")
                .atMost(TO_READY)
                .failFast("make run ended", () -> !make.isAlive())
                .until(() -> {
                    String printed = Files.readString(output);
                    return printed.contains("dbm/shop is Ready")
                            && printed.contains("dbm/catalog is Ready")
                            && printed.contains("dbm/accounts is Ready");
                });
        await("the shop's pods released by the gate").atMost(Scenario.TIMEOUT).until(() -> {
            List<Pod> pods = client.pods()
                    .inNamespace("quickstart")
                    .withLabel("app", "shop")
                    .list()
                    .getItems();
            return pods.size() == 2
                    && pods.stream()
                            .allMatch(pod -> pod.getSpec().getSchedulingGates().isEmpty());
        });
        assertThat(listening(httpPort)).as("the operator serves").isTrue();
        assertThat(webhookRegistration()).isNotNull();

        signal("-INT", group);

        assertThat(make.waitFor(STOP_WITHIN_SECONDS, TimeUnit.SECONDS))
                .as("make run stopped within %ss of Ctrl-C:%n%s", STOP_WITHIN_SECONDS, Files.readString(output))
                .isTrue();
        await("every process of make run gone")
                .atMost(Duration.ofSeconds(STOP_WITHIN_SECONDS))
                .until(() -> sessionProcesses(group).isEmpty());
        assertThat(listening(httpPort)).as("the operator's port is free").isFalse();
        assertThat(listening(webhookPort)).as("the webhook's port is free").isFalse();
        assertThat(webhookRegistration())
                .as("the webhook registration of the stopped operator")
                .isNull();
        assertThat(client.namespaces().withName("quickstart").get())
                .as("the bed keeps running, the examples with it")
                .isNotNull();
        assertThat(Files.readString(output)).contains("operator stopped; the bed keeps running");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (make != null && make.isAlive()) {
            signal("-KILL", make.pid());
        }
        client.admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName("schemagate")
                .delete();
        NAMESPACES.forEach(namespace -> client.namespaces().withName(namespace).delete());
    }

    private Object webhookRegistration() {
        return client.admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName("schemagate")
                .get();
    }

    /** What a terminal does: a signal to every process of the foreground group. */
    private static void signal(String signal, long group) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", signal, "--", "-" + group)
                        .inheritIO()
                        .start()
                        .waitFor())
                .isZero();
    }

    /** The processes left in the session make led. */
    private static List<String> sessionProcesses(long session) throws IOException, InterruptedException {
        Process ps = new ProcessBuilder("ps", "-o", "pid=,args=", "-s", Long.toString(session))
                .redirectErrorStream(true)
                .start();
        String listed = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ps.waitFor();
        return listed.lines().filter(line -> !line.isBlank()).toList();
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
