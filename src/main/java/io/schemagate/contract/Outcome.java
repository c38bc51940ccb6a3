package io.schemagate.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Arrays;

/**
 * Where a run stands: the runner reports how it ended, the operator records it in status.lastRun,
 * with {@link #Running} until it ends.
 */
public enum Outcome {
    /** Its Job is active: the operator's record only, a runner never reports it. */
    Running,
    Succeeded,
    Failed;

    /** Anything not known is a failure: a success is never assumed. */
    @JsonCreator
    static Outcome fromName(String name) {
        return Arrays.stream(values())
                .filter(outcome -> outcome.name().equals(name))
                .findFirst()
                .orElse(Failed);
    }
}
