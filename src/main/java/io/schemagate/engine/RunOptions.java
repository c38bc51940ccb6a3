package io.schemagate.engine;

import io.schemagate.api.SecretKeyReference;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings of an engine's spec block the runner applies with.
 *
 * @param baselineOnMigrate Flyway: a non-empty schema without history is baselined
 * @param baselineVersion Flyway: the version that baseline records
 * @param outOfOrder Flyway: a script below the applied ones is applied, not refused
 * @param placeholders Flyway: {@code ${name}} replaced in scripts
 * @param secretPlaceholders Flyway: placeholders whose values come from Secrets
 * @param ignoreMissing sqlx: applied versions that no script has are another source's
 */
public record RunOptions(
        boolean baselineOnMigrate,
        String baselineVersion,
        boolean outOfOrder,
        Map<String, String> placeholders,
        Map<String, SecretKeyReference> secretPlaceholders,
        boolean ignoreMissing) {

    public static final RunOptions NONE = new RunOptions(false, "1", false, Map.of(), Map.of(), false);

    public RunOptions {
        // Sorted, and without Map.copyOf's refusal of a placeholder whose value is null.
        placeholders = Collections.unmodifiableMap(new TreeMap<>(placeholders));
        secretPlaceholders = Collections.unmodifiableMap(new TreeMap<>(secretPlaceholders));
    }

    /** These options, but for sqlx's {@code --ignore-missing}. */
    public RunOptions withIgnoreMissing(boolean ignoreMissing) {
        return new RunOptions(
                baselineOnMigrate, baselineVersion, outOfOrder, placeholders, secretPlaceholders, ignoreMissing);
    }
}
