package io.schemagate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a JVM's unified GC log ({@code -Xlog:gc*}) says about its heap: every stop-the-world pause
 * with the heap before and after it, e.g. {@code GC(12) Pause Young (Normal) (G1 Evacuation Pause)
 * 93M->21M(256M) 4.127ms}. The heap after a collection is what the application really holds.
 *
 * @param pauses stop-the-world pauses (young, mixed, remark, cleanup, full)
 * @param fullCollections full collections among them, the sign of a heap too small
 */
record GcLog(
        int pauses,
        int fullCollections,
        double totalPauseMillis,
        double maxPauseMillis,
        double maxHeapBeforeMiB,
        double maxHeapAfterMiB,
        double maxCommittedMiB) {
    private static final Pattern PAUSE =
            Pattern.compile("GC\\(\\d+\\) (Pause .*?) (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\) ([\\d.]+)ms");

    static GcLog read(Path file) throws IOException {
        List<Matcher> pauses = Files.readAllLines(file).stream()
                .map(PAUSE::matcher)
                .filter(Matcher::find)
                .toList();
        return new GcLog(
                pauses.size(),
                (int) pauses.stream()
                        .filter(pause -> pause.group(1).startsWith("Pause Full"))
                        .count(),
                pauses.stream().mapToDouble(GcLog::millis).sum(),
                pauses.stream().mapToDouble(GcLog::millis).max().orElse(0),
                pauses.stream()
                        .mapToDouble(pause -> mebibytes(pause.group(2), pause.group(3)))
                        .max()
                        .orElse(0),
                pauses.stream()
                        .mapToDouble(pause -> mebibytes(pause.group(4), pause.group(5)))
                        .max()
                        .orElse(0),
                pauses.stream()
                        .mapToDouble(pause -> mebibytes(pause.group(6), pause.group(7)))
                        .max()
                        .orElse(0));
    }

    private static double millis(Matcher pause) {
        return Double.parseDouble(pause.group(8));
    }

    private static double mebibytes(String amount, String unit) {
        double value = Double.parseDouble(amount);
        return switch (unit) {
            case "K" -> value / 1024;
            case "G" -> value * 1024;
            default -> value;
        };
    }
}
