package io.schemagate.reconcile;

import io.schemagate.api.ImageSource;
import io.schemagate.db.MigrationSet;
import java.util.List;
import java.util.Map;

/** The migration scripts of a resource, as far as the operator can know them before a run. */
public sealed interface ResolvedSource {

    /** What identifies the scripts: their content, or the image that carries them. */
    String identity();

    /**
     * Scripts read from ConfigMaps: known in full, so pending migrations are known before a run.
     *
     * @param contents each script's text by file name, for the change policy to read
     */
    record FromConfigMaps(MigrationSet scripts, List<String> configMaps, Map<String, String> contents)
            implements ResolvedSource {
        public FromConfigMaps {
            contents = Map.copyOf(contents);
        }

        public FromConfigMaps(MigrationSet scripts, List<String> configMaps) {
            this(scripts, configMaps, Map.of());
        }

        @Override
        public String identity() {
            return "scripts:" + scripts.digest();
        }
    }

    /**
     * Scripts inside an image: only a run sees them.
     *
     * @param workload the workload the image was read from, null for an image source
     * @param mount how the Job reaches them, the resource's choice or the operator's
     * @param inherited what the runner pod takes from the workload's pods by the resource's choice
     */
    record FromImage(ImageSource image, Workload workload, ImageSource.Mount mount, Inheritance inherited)
            implements ResolvedSource {
        FromImage(ImageSource image, ImageSource.Mount mount) {
            this(image, null, mount, Inheritance.NONE);
        }

        FromImage(ImageSource image, Workload workload, ImageSource.Mount mount) {
            this(image, workload, mount, Inheritance.NONE);
        }

        @Override
        public String identity() {
            return "image:" + image.getRef() + ":" + image.getPath();
        }
    }
}
