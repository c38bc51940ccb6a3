package io.schemagate.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/**
 * Migration sets published by public projects, kept beside the checkout (never copied into it) so
 * that the engines are tested on scripts nobody here wrote. Their README says what each holds.
 */
public final class Corpora {
    private static final Path ROOT = Path.of("../shared/corpora");

    private Corpora() {}

    /** A folder of a corpus, e.g. {@code sqlx-zero2prod/migrations}; a test fails when it is missing. */
    public static Path folder(String relative) {
        Path folder = ROOT.resolve(relative);
        assertThat(folder).as("corpus folder beside the checkout").isDirectory();
        return folder;
    }
}
