package io.schemagate.it;

import io.schemagate.testbed.TestBed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/** Application images for the bed: a file system with migration scripts where its executor finds it. */
final class TestImages {
    static final String MIGRATIONS = "/app/db/migration";

    private TestImages() {}

    /** A repository name no other test uses, so images never collide across runs. */
    static String repository(String name) {
        return "acme/" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * An image of the scripts alone, as a distroless or JRE-only image is to a migration: no shell,
     * no cp (the bed shares none of the host's system folders into its containers).
     */
    static void distroless(String ref, Map<String, String> scripts) throws IOException {
        image(ref, scripts);
        Files.writeString(TestBed.get().imageRoot(ref).resolve(".bed-image.json"), "{\"Distroless\": true}");
    }

    static void image(String ref, Map<String, String> scripts) throws IOException {
        Path dir = TestBed.get().imageRoot(ref).resolve(MIGRATIONS.substring(1));
        Files.createDirectories(dir);
        for (var script : scripts.entrySet()) {
            Files.writeString(dir.resolve(script.getKey()), script.getValue());
        }
    }
}
