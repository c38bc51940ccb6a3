package io.schemagate.testbed;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The local Kubernetes test bed (control plane, KWOK node, Job executor, PostgreSQL), one per test
 * run. `make test` starts it and passes its coordinates in the environment; a test started any
 * other way (an IDE) starts a bed of its own that lives as long as the JVM.
 */
public final class TestBed {
    private static final Pattern EXPORT = Pattern.compile("^export ([A-Z_]+)=(.*)$");
    private static TestBed shared;

    private final Map<String, String> env;
    private final KubernetesClient client;

    private TestBed(Map<String, String> env) {
        this.env = Map.copyOf(env);
        String kubeconfig = read(Path.of(require("KUBECONFIG")));
        this.client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(kubeconfig))
                .build();
    }

    /** The bed of this test run, started on first use when the environment names none. */
    public static synchronized TestBed get() {
        if (shared == null) {
            shared = new TestBed(
                    System.getenv("SCHEMAGATE_TESTBED_STATE") != null && System.getenv("KUBECONFIG") != null
                            ? System.getenv()
                            : startOwnBed());
        }
        return shared;
    }

    /** An administrator's client for the bed's API server. */
    public KubernetesClient client() {
        return client;
    }

    public Path kubeconfig() {
        return Path.of(require("KUBECONFIG"));
    }

    /** A superuser URL of the bed's PostgreSQL server. */
    public String jdbcUrl() {
        return require("JDBC_URL");
    }

    public String pgUser() {
        return require("PGUSER");
    }

    public String pgPassword() {
        return require("PGPASSWORD");
    }

    /** The certificate authority that signed the PostgreSQL server's TLS certificate, in PEM. */
    public String postgresCertificateAuthority() throws IOException {
        return Files.readString(Path.of(require("SCHEMAGATE_TESTBED_PG_CA")));
    }

    /** The cluster's certificate authority, in PEM: a real CA that did not sign the database's certificate. */
    public String clusterCertificateAuthority() throws IOException {
        return Files.readString(state().resolve("pki/ca.crt"));
    }

    /** Where an image's file system is laid out for the bed's Job executor (see testbed/README.md). */
    public Path imageRoot(String imageRef) {
        return Path.of(require("SCHEMAGATE_TESTBED_IMAGES")).resolve(imageRef.replaceAll("[/:@]", "_"));
    }

    /** The kubectl built with the bed's control plane (build.sh prints their folder last; a warm call builds nothing). */
    public Path kubectl() {
        try {
            Process build = new ProcessBuilder(
                            projectRoot().resolve("testbed/build.sh").toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            List<String> lines = new BufferedReader(
                            new InputStreamReader(build.getInputStream(), StandardCharsets.UTF_8))
                    .lines()
                    .toList();
            if (build.waitFor() != 0 || lines.isEmpty()) {
                throw new IllegalStateException("testbed/build.sh failed (exit code " + build.exitValue() + ")");
            }
            return Path.of(lines.get(lines.size() - 1)).resolve("kubectl");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What a command printed (standard output and error, in order) and how it ended. */
    public record CommandResult(int exitCode, String output) {}

    /** kubectl, as the administrator, from the project's folder; at most a minute. */
    public CommandResult runKubectl(String... arguments) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(kubectl().toString()).redirectErrorStream(true);
        builder.command().addAll(List.of(arguments));
        builder.environment().put("KUBECONFIG", kubeconfig().toString());
        builder.directory(projectRoot().toFile());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("kubectl did not finish:\n" + output);
        }
        return new CommandResult(process.exitValue(), output);
    }

    /**
     * A kubeconfig for the bed's API server that authenticates with a token of this ServiceAccount,
     * valid for two hours, in a new file under target/: a client with another identity than the
     * administrator's.
     */
    public Path serviceAccountKubeconfig(String namespace, String serviceAccount) throws IOException {
        String token = client.serviceAccounts()
                .inNamespace(namespace)
                .withName(serviceAccount)
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(7200L)
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
        Config admin = client.getConfiguration();
        Path file = Files.createTempFile(Path.of("target"), "serviceaccount-", ".kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: bed
                    cluster: {server: "%s", certificate-authority-data: "%s"}
                users:
                  - name: serviceaccount
                    user: {token: "%s"}
                contexts:
                  - name: serviceaccount
                    context: {cluster: bed, user: serviceaccount}
                current-context: serviceaccount
                """.formatted(admin.getMasterUrl(), admin.getCaCertData(), token));
        return file;
    }

    /** The bed's own state folder (kubeconfig, logs of the pods it ran). */
    public Path state() {
        return Path.of(require("SCHEMAGATE_TESTBED_STATE"));
    }

    /** Stops the bed's PostgreSQL server; returns once its port is closed. */
    public void stopPostgres() {
        control("postgres", "stop");
    }

    /**
     * Starts the bed's PostgreSQL server again, with the same data, port and password; returns once
     * it accepts connections. A running server is left alone.
     */
    public void startPostgres() {
        control("postgres", "start");
    }

    /**
     * Restarts the bed's kube-apiserver on the same port, certificates and etcd data; returns once
     * its /readyz is ok. Clients, {@link #client()} included, reconnect on their own.
     */
    public void restartApiServer() {
        control("apiserver", "restart");
    }

    /** Runs a fault control of the running bed, e.g. `testbed.sh postgres stop`, failing with its output. */
    private void control(String component, String verb) {
        ProcessBuilder builder = new ProcessBuilder(
                        projectRoot().resolve("testbed/testbed.sh").toString(), component, verb)
                .redirectErrorStream(true);
        builder.environment().put("SCHEMAGATE_TESTBED_STATE", state().toString());
        try {
            Process control = builder.start();
            String output = new String(control.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (control.waitFor() != 0) {
                throw new IllegalStateException("testbed.sh " + component + " " + verb + " failed (exit code "
                        + control.exitValue() + "):\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A variable of the bed's environment (testbed/README.md), or null when the bed sets none. */
    public @Nullable String env(String name) {
        return env.get(name);
    }

    private String require(String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("the test bed environment lacks " + name
                    + "; run the tests with `make test` or after `eval \"$(make -s testbed)\"`");
        }
        return value;
    }

    /**
     * Starts `testbed/testbed.sh serve`, which keeps the bed in the foreground and takes it down
     * when its standard input closes, so a JVM that dies any way at all leaves nothing behind.
     */
    private static Map<String, String> startOwnBed() {
        Path root = projectRoot();
        try {
            Path state = Files.createTempDirectory("schemagate-bed-");
            ProcessBuilder builder = new ProcessBuilder(
                            root.resolve("testbed/testbed.sh").toString(), "serve")
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().put("SCHEMAGATE_TESTBED_STATE", state.toString());
            Process bed = builder.start();
            Map<String, String> env = new HashMap<>();
            BufferedReader lines =
                    new BufferedReader(new InputStreamReader(bed.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = lines.readLine()) != null; ) {
                Matcher export = EXPORT.matcher(line);
                if (export.matches()) {
                    env.put(export.group(1), export.group(2));
                }
                if (env.containsKey("SCHEMAGATE_TESTBED_IMAGES")) {
                    return env;
                }
            }
            throw new IllegalStateException("the test bed did not start (exit code " + bed.waitFor() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("testbed/testbed.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException(
                    "cannot find testbed/testbed.sh above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
