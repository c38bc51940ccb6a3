package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.ImageSource;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Migrations shipped inside an application image, copied out by the Job's init container. */
@ExtendWith(TestNamespace.Extension.class)
class ImageSourceIT {
    @RegisterExtension
    static final SharedOperator operator = new SharedOperator();

    @RegisterExtension
    final TestDatabases database = new TestDatabases();

    @Test
    void runsTheMigrationsOfTheImageAndAgainForANewImage(TestNamespace namespace) throws Exception {
        Scenario scenario = new Scenario(namespace, database);
        scenario.credentials();
        String repository = TestImages.repository("orders");
        TestImages.image(repository + ":1.0", DatabaseMigrationIT.THREE);
        scenario.apply("orders", "unused", spec -> {
            ImageSource image = new ImageSource();
            image.setRef(repository + ":1.0");
            image.setPath(TestImages.MIGRATIONS);
            spec.getSource().setConfigMaps(null);
            spec.getSource().setImage(image);
        });

        DatabaseMigration first = scenario.awaitReady("orders");
        assertThat(first.getStatus().getRevision().getCurrent()).isEqualTo("3");
        assertThat(first.getStatus().getLastRun().getApplied()).isEqualTo(3);

        TestImages.image(repository + ":1.1", DatabaseMigrationIT.threeAnd(Map.of("V4__add_status.sql",
                "ALTER TABLE orders ADD COLUMN status text;")));
        scenario.edit("orders", resource -> resource.getSpec().getSource().getImage().setRef(repository + ":1.1"));

        await().atMost(Scenario.TIMEOUT).untilAsserted(() -> assertThat(
                scenario.resource("orders").get().getStatus().getRevision().getCurrent()).isEqualTo("4"));
        assertThat(scenario.awaitReady("orders").getStatus().getHistory()).hasSize(2);
    }
}
