package io.schemagate.support;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Times as Kubernetes writes them: RFC 3339 in UTC, whole seconds. */
public final class Timestamps {
    private Timestamps() {}

    public static String format(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    public static Instant parse(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
