package io.schemagate.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgClientTest {

    @TempDir
    Path clients;

    @Test
    void theServersOwnVersionIsChosenElseTheOldestNewerOneNeverAnOlderOne() throws Exception {
        install("13");
        install("15");
        install("17");
        Files.createDirectories(clients.resolve("16/bin"));
        Files.createDirectories(clients.resolve("common/bin"));

        assertThat(PgClient.forServer(15, clients).map(PgClient::major)).contains(15);
        assertThat(PgClient.forServer(14, clients).map(PgClient::major)).contains(15);
        assertThat(PgClient.forServer(16, clients).map(PgClient::major))
                .as("16 has no pg_dump")
                .contains(17);
        assertThat(PgClient.forServer(18, clients)).isEmpty();
        assertThat(PgClient.installed(clients)).extracting(PgClient::major).containsExactly(13, 15, 17);
        assertThat(PgClient.forServer(15, clients.resolve("absent"))).isEqualTo(Optional.empty());
    }

    @Test
    void theMajorVersionIsReadFromServerVersionNum() {
        assertThat(PgClient.majorOf("150004")).isEqualTo(15);
        assertThat(PgClient.majorOf("170000 ")).isEqualTo(17);
        assertThat(PgClient.majorOf("90624")).isEqualTo(9);
        assertThatThrownBy(() -> PgClient.majorOf("15.4")).isInstanceOf(IllegalArgumentException.class);
    }

    private void install(String major) throws Exception {
        Path binary = Files.createDirectories(clients.resolve(major + "/bin")).resolve("pg_dump");
        Files.writeString(binary, "#!/bin/sh\n");
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
