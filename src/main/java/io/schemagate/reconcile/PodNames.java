package io.schemagate.reconcile;

import java.util.List;

/** Pod names for an event message: a count, and the first few names. */
final class PodNames {
    private static final int SHOWN = 5;

    private PodNames() {}

    static String describe(List<String> names) {
        String count = names.size() + (names.size() == 1 ? " pod" : " pods");
        String shown = String.join(", ", names.subList(0, Math.min(SHOWN, names.size())));
        return count + " (" + shown + (names.size() > SHOWN ? ", ..." : "") + ")";
    }
}
