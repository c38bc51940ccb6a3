package io.schemagate.reconcile;

/**
 * Job names are a pure function of the resource, the run digest and the attempt, so that an operator
 * restart or a second replica finds the Job a first one created instead of starting another.
 */
public final class JobNames {
    /** Job names become the value of the pod label job-name, which is limited to 63 characters. */
    private static final int MAX_LENGTH = 63;

    static final int DIGEST_LENGTH = 10;

    private JobNames() {}

    public static String of(String resourceName, String digest, int attempt) {
        String suffix = "-" + shortDigest(digest) + "-" + attempt;
        String prefix = resourceName.substring(0, Math.min(resourceName.length(), MAX_LENGTH - suffix.length()));
        return stripTrailingDashes(prefix) + suffix;
    }

    public static String shortDigest(String digest) {
        return digest.substring(0, Math.min(DIGEST_LENGTH, digest.length()));
    }

    private static String stripTrailingDashes(String text) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '-' || text.charAt(end - 1) == '.')) {
            end--;
        }
        return text.substring(0, end);
    }
}
