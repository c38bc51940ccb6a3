package io.schemagate.reconcile;

import io.schemagate.support.Digests;

/**
 * Label values from names that may not fit one: a resource name may have 253 characters, a label
 * value 63. A longer name keeps its start and gets a digest of the whole, so it stays unique.
 */
final class LabelValues {
    static final int MAX_LENGTH = 63;
    private static final int DIGEST_LENGTH = 10;

    private LabelValues() {}

    static String of(String name) {
        if (name.length() <= MAX_LENGTH) {
            return name;
        }
        String digest = Digests.sha256(name).substring(0, DIGEST_LENGTH);
        String start = name.substring(0, MAX_LENGTH - DIGEST_LENGTH - 1);
        // A label value ends with an alphanumeric character; names may hold dots and dashes anywhere.
        while (!start.isEmpty() && !Character.isLetterOrDigit(start.charAt(start.length() - 1))) {
            start = start.substring(0, start.length() - 1);
        }
        return start + "-" + digest;
    }
}
