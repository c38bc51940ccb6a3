package io.schemagate.reconcile;

import io.schemagate.engine.RunSettings;
import io.schemagate.support.Digests;

/**
 * Digest of everything that decides what a run does: the scripts (or the image carrying them), the
 * database and the Flyway settings. A new digest is a new run; the same digest never runs twice.
 */
final class RunDigest {
    private RunDigest() {}

    /** @param databaseKey the history table the run migrates, from {@link DatabaseKey} */
    static String of(ResolvedSource source, String databaseKey, RunSettings settings) {
        return Digests.sha256(source.identity() + "\n" + databaseKey + "\n" + settings.canonical());
    }
}
