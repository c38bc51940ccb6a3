package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.testbed.LeakCapture;
import io.schemagate.testbed.TestBed;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other *IT (its own failsafe execution): the password the tests connect with never
 * appears in any status, event, Job or pod (spec, status, termination message) of a test namespace,
 * in any operator log, or in any output of a Job pod the bed ran. The count is written to
 * target/leak-check.txt.
 */
class LeakCheckIT {

    @Test
    void theTestsPasswordAppearsNowhereTheOperatorOrItsJobsWrote() throws IOException {
        List<String> forms = forms(TestBed.get().pgPassword(), ProviderUrlsIT.PASSWORD, CommandEngineIT.PASSWORD);
        List<Path> files = new ArrayList<>();
        files.addAll(list(LeakCapture.DIRECTORY, "json"));
        files.addAll(list(Path.of("target"), "log"));
        files.addAll(list(TestBed.get().state().resolve("pods"), "log"));

        List<String> leaks = new ArrayList<>();
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            if (forms.stream().anyMatch(text::contains)) {
                leaks.add(file.toString());
            }
        }
        long captures = list(LeakCapture.DIRECTORY, "json").size();
        long operatorLogs = files.stream()
                .filter(file -> file.getFileName().toString().startsWith("operator-"))
                .count();
        Files.writeString(
                Path.of("target/leak-check.txt"),
                "files scanned: " + files.size()
                        + " (namespaces captured: " + captures + ", operator logs: " + operatorLogs
                        + "); forms of the tests' passwords looked for: " + forms.size()
                        + " (raw, URL-encoded, base64); files containing one: " + leaks.size() + "\n"
                        + String.join("\n", leaks));

        // The check only means something when there was something to look at.
        assertThat(captures).as("namespaces captured").isPositive();
        assertThat(leaks).as("files containing the tests' password").isEmpty();
    }

    /** Each password as it is, URL-encoded (as in a URL from a Secret) and base64-encoded (as in a Secret's data). */
    private static List<String> forms(String... passwords) {
        return Stream.of(passwords)
                .flatMap(password -> Stream.of(
                        password,
                        URLEncoder.encode(password, StandardCharsets.UTF_8),
                        Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8))))
                .distinct()
                .toList();
    }

    /** Files under the folder whose name ends in ".suffix" or "termination-log", depth-first. */
    private static List<Path> list(Path folder, String suffix) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(Files::isRegularFile)
                    .filter(path -> path.toString().endsWith("." + suffix)
                            || path.toString().endsWith("termination-log"))
                    .toList();
        }
    }
}
