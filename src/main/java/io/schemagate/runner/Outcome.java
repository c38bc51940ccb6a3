package io.schemagate.runner;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Arrays;

/** How a run ended, as the runner reports it. */
public enum Outcome {
    Succeeded,
    Failed;

    /** Anything but a known success is a failure: a success is never assumed. */
    @JsonCreator
    static Outcome fromName(String name) {
        return Arrays.stream(values())
                .filter(outcome -> outcome.name().equals(name))
                .findFirst()
                .orElse(Failed);
    }
}
