package io.schemagate.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Migration sets published by public projects, so that the engines are tested on scripts nobody
 * here wrote. They never enter the repository: {@code testbed/corpora.sh} obtains them (from a
 * mirror such as {@code ../shared/corpora}, or at the commits {@code testbed/corpora/corpora.lock}
 * pins), verifies every file and names their folder in {@code SCHEMAGATE_CORPORA}, as {@code make
 * test} does. A test run without it (from an IDE) reads {@code ../shared/corpora} directly.
 */
public final class Corpora {
    private static final Path ROOT =
            Path.of(Objects.requireNonNullElse(System.getenv("SCHEMAGATE_CORPORA"), "../shared/corpora"));

    private Corpora() {}

    /** A folder of a corpus, e.g. {@code sqlx-zero2prod/migrations}; a test fails when it is missing. */
    public static Path folder(String relative) {
        Path folder = ROOT.resolve(relative);
        assertThat(folder)
                .as(
                        "corpus folder %s: run testbed/corpora.sh and set SCHEMAGATE_CORPORA to the folder it prints",
                        relative)
                .isDirectory();
        return folder;
    }
}
