package io.schemagate.policy;

/**
 * A risky statement of a pending script.
 *
 * @param line the statement's first line in the script, from 1
 * @param statement the statement, shortened to {@link #MAX_STATEMENT} characters
 * @param allowedByScript the script says {@code -- schemagate:allow <rule>} (or its class) for it
 */
public record Finding(
        RiskClass riskClass,
        String rule,
        String script,
        int line,
        String statement,
        String why,
        String instead,
        boolean allowedByScript) {
    public static final int MAX_STATEMENT = 200;
}
