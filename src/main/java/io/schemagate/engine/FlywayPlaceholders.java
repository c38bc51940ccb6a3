package io.schemagate.engine;

import java.util.Map;
import java.util.Optional;

/**
 * A script as Flyway hands it to PostgreSQL: {@code ${name}} replaced by the placeholder's value, a
 * value from a Secret by a stand-in (it is never read here), Flyway's own {@code ${flyway:…}} by the
 * names of the run. What is left unknown stays, and Flyway refuses it at the run.
 */
final class FlywayPlaceholders {

    private FlywayPlaceholders() {}

    static String replace(String sql, RunSettings settings) {
        StringBuilder replaced = new StringBuilder(sql.length());
        int from = 0;
        while (true) {
            int start = sql.indexOf("${", from);
            int end = start < 0 ? -1 : sql.indexOf('}', start + 2);
            if (end < 0) {
                replaced.append(sql, from, sql.length());
                return replaced.toString();
            }
            String name = sql.substring(start + 2, end);
            replaced.append(sql, from, start).append(value(name, settings).orElse(sql.substring(start, end + 1)));
            from = end + 1;
        }
    }

    private static Optional<String> value(String name, RunSettings settings) {
        Map<String, String> flyway = Map.of(
                "flyway:defaultSchema",
                settings.schemas().get(0),
                "flyway:table",
                settings.table(),
                "flyway:user",
                "migrator",
                "flyway:database",
                "database",
                "flyway:timestamp",
                "2000-01-01 00:00:00",
                "flyway:filename",
                "script.sql",
                "flyway:workingDirectory",
                "/");
        if (settings.placeholders().containsKey(name)) {
            return Optional.of(settings.placeholders().get(name));
        }
        if (settings.secretPlaceholders().containsKey(name)) {
            return Optional.of("secret");
        }
        return Optional.ofNullable(flyway.get(name));
    }
}
