package io.schemagate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.testbed.TestBed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The images users run, built from the project's Dockerfiles by {@code make image}'s own script
 * (testbed/images/build.sh) once per test run, and loaded into the bed's real node: the SchemaGate
 * image, and the examples' images (example.com/shop, accounts, orders, orders-scripts).
 */
public final class Images {
    private static @Nullable String operator;

    private Images() {}

    /** The SchemaGate image's reference, built (and loaded into the real node) on first use. */
    public static synchronized String operator() {
        if (operator == null) {
            String output = run(List.of("testbed/images/build.sh"));
            operator = output.lines().reduce((first, last) -> last).orElseThrow();
        }
        return operator;
    }

    /**
     * An image made of another with these migration scripts added to its folder, as a new release of
     * an application adds scripts, loaded into the real node.
     */
    public static String withScripts(String ref, String base, String folder, Map<String, String> scripts)
            throws IOException {
        operator();
        Path context = Files.createTempDirectory("image-");
        Files.createDirectories(context.resolve("scripts"));
        for (Map.Entry<String, String> script : scripts.entrySet()) {
            Files.writeString(context.resolve("scripts").resolve(script.getKey()), script.getValue());
        }
        Files.writeString(context.resolve("Dockerfile"), "FROM " + base + "\nCOPY scripts/ " + folder + "/\n");
        run(List.of("testbed/images/docker-build.sh", "-t", ref, context.toString()));
        run(List.of("testbed/images/load.sh", ref));
        return ref;
    }

    /** The size of an image, as `docker image inspect` reports it. */
    public static long size(String ref) {
        return Long.parseLong(run(List.of("docker", "image", "inspect", "-f", "{{.Size}}", ref))
                .strip());
    }

    private static String run(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment()
                .put("SCHEMAGATE_TESTBED_STATE", TestBed.get().state().toString());
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as("%s:%n%s", command, output).isZero();
            return output;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
