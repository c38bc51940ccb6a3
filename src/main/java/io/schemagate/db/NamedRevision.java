package io.schemagate.db;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Where a history whose revisions are ids rather than ordered numbers stands (Alembic, Liquibase).
 *
 * @param heads Alembic: the revisions in {@code alembic_version}, sorted (several after a branch);
 *     Liquibase: the id of the changeset run last
 * @param reached every id a pod may ask for that the history holds, newest first; empty where the
 *     history alone does not know them (Alembic keeps only its heads: the graph is in the scripts)
 * @param tag Liquibase: the newest tag; null otherwise
 * @param lock Liquibase: who holds {@code databasechangeloglock} and since when; null when it is free
 */
public record NamedRevision(
        List<String> heads,
        List<String> reached,
        @Nullable String tag,
        @Nullable String lock) {

    /** What status keeps of {@link #reached}: about 180 of Alembic's 12-character ids. */
    public static final int MAX_REACHED_BYTES = 2500;

    public static final NamedRevision NONE = new NamedRevision(List.of(), List.of(), null, null);

    public NamedRevision {
        heads = List.copyOf(heads);
        reached = List.copyOf(reached);
    }

    /** Alembic's heads, sorted as Java sorts them, so that a label compares equal wherever it was made. */
    public static NamedRevision ofHeads(List<String> heads) {
        return new NamedRevision(heads.stream().sorted().toList(), List.of(), null, null);
    }

    /** The newest of the given ids that fit in {@link #MAX_REACHED_BYTES}, as JSON strings. */
    public static List<String> newest(List<String> ids) {
        List<String> kept = new ArrayList<>();
        int bytes = 0;
        for (String id : ids) {
            bytes += id.getBytes(StandardCharsets.UTF_8).length + 3;
            if (bytes > MAX_REACHED_BYTES) {
                break;
            }
            kept.add(id);
        }
        return List.copyOf(kept);
    }

    /** The heads of a {@link #label}, as a run hands them to the next: empty for null. */
    public static List<String> headsOf(String label) {
        return label == null
                ? List.of()
                : Stream.of(label.split(","))
                        .map(String::trim)
                        .filter(head -> !head.isEmpty())
                        .toList();
    }

    /** The heads as one text, as status shows them; null when there is none. */
    public @Nullable String label() {
        return heads.isEmpty() ? null : String.join(",", heads);
    }
}
