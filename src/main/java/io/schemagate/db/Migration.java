package io.schemagate.db;

import org.jspecify.annotations.Nullable;

/**
 * One SQL migration of a {@link MigrationSet}.
 *
 * @param checksum the checksum the engine will record for the script ({@link Engine#checksum})
 */
public record Migration(MigrationName name, String checksum) {

    public String script() {
        return name.script();
    }

    /** Null for a repeatable migration. */
    public @Nullable Version version() {
        return name.version();
    }

    public boolean isVersioned() {
        return name.isVersioned();
    }
}
