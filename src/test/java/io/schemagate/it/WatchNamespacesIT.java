package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An operator that serves a list of namespaces (the chart's watchNamespaces) has an informer per
 * namespace for each kind it watches. Each must keep its own namespace's objects: when they shared a
 * store, the listing of one namespace dropped the ConfigMaps of the others, and their resources
 * stalled with SourceNotFound.
 */
class WatchNamespacesIT {

    @Test
    void resourcesInEachOfSeveralWatchedNamespacesFindTheirScripts() throws Exception {
        TestBed bed = TestBed.get();
        List<TestNamespace> namespaces = List.of(TestNamespace.create(bed), TestNamespace.create(bed));
        List<TestDatabases> databases = List.of(TestDatabases.fresh(), TestDatabases.fresh());
        try {
            for (int i = 0; i < namespaces.size(); i++) {
                Scenario scenario = new Scenario(namespaces.get(i), databases.get(i));
                scenario.credentials();
                scenario.scripts("migrations", DatabaseMigrationIT.THREE);
                scenario.apply("shop", "migrations", spec -> {});
            }

            // Started after the objects exist: every namespace's informer lists them at once.
            try (OperatorProcess operator = OperatorProcess.start(
                    bed,
                    Map.of(
                            "QUARKUS_OPERATOR_SDK_NAMESPACES",
                            namespaces.get(0).name() + "," + namespaces.get(1).name()))) {
                for (int i = 0; i < namespaces.size(); i++) {
                    assertThat(new Scenario(namespaces.get(i), databases.get(i))
                                    .awaitReady("shop")
                                    .getStatus()
                                    .getRevision()
                                    .getCurrent())
                            .as("revision in %s", namespaces.get(i).name())
                            .isEqualTo("3");
                }
            }
        } finally {
            namespaces.forEach(TestNamespace::delete);
            for (TestDatabases database : databases) {
                database.drop();
            }
        }
    }
}
