package io.schemagate.runner;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Set;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * The scripts found in the migration locations, with Flyway's per-script setting
 * {@code executeInTransaction=false} for those PostgreSQL refused to run inside a transaction.
 * Flyway recognises only some such statements itself (not {@code REINDEX ... CONCURRENTLY}, say);
 * the database is the one that knows, so the runner asks it: see {@link FlywayMigrator}.
 */
final class OutsideTransactionScripts implements ResourceProvider {
    /** Flyway reads a script's settings from a resource named after it with this suffix. */
    private static final String SETTINGS_SUFFIX = ".conf";

    private final ResourceProvider scripts;
    private final Set<String> outsideTransaction;

    /** @param outsideTransaction relative paths of the scripts to run outside a transaction */
    OutsideTransactionScripts(ResourceProvider scripts, Set<String> outsideTransaction) {
        this.scripts = scripts;
        this.outsideTransaction = Set.copyOf(outsideTransaction);
    }

    @Override
    public LoadableResource getResource(String name) {
        if (name.endsWith(SETTINGS_SUFFIX)) {
            String script = name.substring(0, name.length() - SETTINGS_SUFFIX.length());
            if (outsideTransaction.contains(script)) {
                return new Settings(scripts.getResource(script), scripts.getResource(name), name);
            }
        }
        return scripts.getResource(name);
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        return scripts.getResources(prefix, suffixes);
    }

    /** The settings of one script: the user's own settings file, if any, with the transaction turned off. */
    private static final class Settings extends LoadableResource {
        private final LoadableResource script;
        private final LoadableResource own;
        private final String relativePath;

        Settings(LoadableResource script, LoadableResource own, String relativePath) {
            this.script = script;
            this.own = own;
            this.relativePath = relativePath;
        }

        @Override
        public Reader read() {
            StringWriter settings = new StringWriter();
            if (own != null) {
                try (Reader ownSettings = own.read()) {
                    ownSettings.transferTo(settings);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + own.getAbsolutePath(), e);
                }
            }
            // The last setting of a key wins.
            settings.write("\nexecuteInTransaction=false\n");
            return new StringReader(settings.toString());
        }

        @Override
        public String getAbsolutePath() {
            return script.getAbsolutePath() + SETTINGS_SUFFIX;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return script.getAbsolutePathOnDisk() + SETTINGS_SUFFIX;
        }

        @Override
        public String getFilename() {
            return script.getFilename() + SETTINGS_SUFFIX;
        }

        @Override
        public String getRelativePath() {
            return relativePath;
        }
    }
}
