package io.schemagate.db;

/**
 * One SQL migration of a {@link MigrationSet}.
 *
 * @param checksum the checksum Flyway will record for the script (see {@link FlywayChecksum})
 */
public record Migration(MigrationName name, int checksum) {

    public String script() {
        return name.script();
    }

    /** Null for a repeatable migration. */
    public Version version() {
        return name.version();
    }

    public boolean isVersioned() {
        return name.isVersioned();
    }
}
