package io.schemagate.e2e;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs the k3s suite only where a Docker engine answers, and says so loudly where none does: a
 * skipped suite must not look like a passed one.
 */
final class DockerAvailable implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (DockerClientFactory.instance().isDockerAvailable()) {
            return ConditionEvaluationResult.enabled("a Docker engine is reachable");
        }
        String reason = "SKIPPED " + context.getDisplayName() + ": no Docker engine is reachable; the "
                + "Testcontainers k3s suite runs only where one is (the local test bed covers this machine)";
        System.err.println(reason);
        return ConditionEvaluationResult.disabled(reason);
    }
}
