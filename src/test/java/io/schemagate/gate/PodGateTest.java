package io.schemagate.gate;

import static io.schemagate.gate.GatedPods.NAMESPACE;
import static io.schemagate.gate.GatedPods.pod;
import static io.schemagate.gate.GatedPods.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import io.schemagate.api.CommandHistorySpec;
import io.schemagate.api.CommandSpec;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.ImageRevision;
import io.schemagate.api.VerifyStatus;
import io.schemagate.db.Engine;
import io.schemagate.db.HistoryFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodGateTest {
    private static final List<ImageRevision> APPLIED = List.of(
            new ImageRevision("orders:1.1", "4"),
            new ImageRevision("orders:1.0", "3"),
            new ImageRevision("orders:0.9", null));

    @Test
    void holdsAPodWhoseResourceDoesNotExistYet() {
        GateDecision decision = PodGate.decide(pod("orders:1.0", Map.of()), NAMESPACE, Optional.empty());

        assertThat(decision).isInstanceOf(GateDecision.Hold.class);
        assertThat(decision.reason()).isEqualTo("DatabaseMigration orders does not exist in namespace shop yet");
    }

    @Test
    void withoutAnnotationOrWorkloadThePodWaitsForReady() {
        assertThat(decide(pod("orders:1.0", Map.of()), resource("3", false, false, List.of())))
                .isInstanceOf(GateDecision.Hold.class);
        assertThat(decide(pod("orders:1.0", Map.of()), resource("3", true, false, List.of())))
                .isInstanceOf(GateDecision.Admit.class);
    }

    @Test
    void aReadyConditionOfAnOlderGenerationDoesNotCount() {
        DatabaseMigration resource = resource("3", true, false, List.of());
        resource.getMetadata().setGeneration(3L);

        assertThat(decide(pod("orders:1.0", Map.of()), resource)).isInstanceOf(GateDecision.Hold.class);
    }

    @Test
    void theRevisionAnnotationComparesVersionsNotText() {
        DatabaseMigration atTen = resource("10", false, true, List.of());

        assertThat(decide(pod("orders:2.0", Map.of(Gating.REVISION_ANNOTATION, "9")), atTen))
                .isInstanceOf(GateDecision.Admit.class);
        assertThat(decide(pod("orders:2.0", Map.of(Gating.REVISION_ANNOTATION, "10.0")), atTen))
                .isInstanceOf(GateDecision.Admit.class);
        GateDecision held = decide(pod("orders:2.0", Map.of(Gating.REVISION_ANNOTATION, "10.1")), atTen);
        assertThat(held).isInstanceOf(GateDecision.Hold.class);
        assertThat(held.reason()).isEqualTo("needs schema version 10.1 of orders; the schema is at version 10");
    }

    @Test
    void aMalformedAnnotationIsRefusedNamingIt() {
        for (String malformed : List.of("v4", "latest", "", "4.x")) {
            GateDecision decision = decide(
                    pod("orders:1.0", Map.of(Gating.REVISION_ANNOTATION, malformed)),
                    resource("3", true, false, List.of()));

            assertThat(decision).as(malformed).isInstanceOf(GateDecision.Refuse.class);
            assertThat(decision.reason()).contains("schemagate.io/revision", "\"" + malformed + "\"");
        }
        assertThat(PodGate.decide(
                        pod("orders:1.0", Map.of(Gating.REVISION_ANNOTATION, " ")), NAMESPACE, Optional.empty()))
                .as("refused even before the resource exists")
                .isInstanceOf(GateDecision.Refuse.class);
        // Until the resource says which engine it uses, "v4" may be an Alembic revision or a Liquibase tag.
        assertThat(PodGate.decide(
                        pod("orders:1.0", Map.of(Gating.REVISION_ANNOTATION, "v4")), NAMESPACE, Optional.empty()))
                .isInstanceOf(GateDecision.Hold.class);
    }

    @Test
    void whileAVerifyCheckFailsOnlyTheRevisionLastVerifiedCounts() {
        DatabaseMigration atFour = resource(
                "4", false, true, List.of(new ImageRevision("orders:2.0", "4"), new ImageRevision("orders:1.0", "3")));
        VerifyStatus failing = new VerifyStatus();
        failing.setName("no-orphans");
        failing.setReturned("false");
        atFour.getStatus().setVerify(List.of(failing));
        atFour.getStatus().setVerifiedRevision("3");

        GateDecision held = decide(pod("orders:2.0", Map.of(Gating.REVISION_ANNOTATION, "4")), atFour);
        assertThat(held).isInstanceOf(GateDecision.Hold.class);
        assertThat(held.reason())
                .endsWith("the schema is at version 4 but fails a verify check, verified up to version 3");
        assertThat(decide(pod("orders:2.0", Map.of()), atFour)).isInstanceOf(GateDecision.Hold.class);
        assertThat(decide(pod("orders:1.0", Map.of()), atFour)).isInstanceOf(GateDecision.Admit.class);

        failing.setPassed(true);
        assertThat(decide(pod("orders:2.0", Map.of(Gating.REVISION_ANNOTATION, "4")), atFour))
                .isInstanceOf(GateDecision.Admit.class);
    }

    @Test
    void anAlembicRevisionIsMetWhenItIsAHeadOrBelowOne() {
        DatabaseMigration alembic = resource("b2,c3", false, false, List.of());
        alembic.getSpec().setEngine(Engine.alembic);
        alembic.getStatus().getRevision().setReached(List.of("b2", "c3", "a1"));

        for (String met : List.of("a1", "b2", "c3")) {
            assertThat(decide(pod("orders:2.0", Map.of(Gating.REVISION_ANNOTATION, met)), alembic))
                    .as(met)
                    .isInstanceOf(GateDecision.Admit.class);
        }
        GateDecision held = decide(pod("orders:2.0", Map.of(Gating.REVISION_ANNOTATION, "d4")), alembic);
        assertThat(held).isInstanceOf(GateDecision.Hold.class);
        assertThat(held.reason()).isEqualTo("needs schema version d4 of orders; the schema is at revision b2,c3");
        // Ids are not versions: a higher-looking number is not met by order.
        alembic.getStatus().getRevision().setCurrent("0002");
        alembic.getStatus().getRevision().setReached(List.of("0002", "0001"));
        assertThat(decide(pod("orders:2.0", Map.of(Gating.REVISION_ANNOTATION, "0001")), alembic))
                .isInstanceOf(GateDecision.Admit.class);
        assertThat(decide(pod("orders:2.0", Map.of(Gating.REVISION_ANNOTATION, "1")), alembic))
                .isInstanceOf(GateDecision.Hold.class);
    }

    @Test
    void anImageWhoseAlembicScriptsEndInTwoHeadsNeedsBoth() {
        DatabaseMigration alembic = resource("b2", false, true, List.of(new ImageRevision("orders:2.0", "b2,c3")));
        alembic.getSpec().setEngine(Engine.alembic);
        alembic.getStatus().getRevision().setReached(List.of("b2", "a1"));

        assertThat(decide(pod("orders:2.0", Map.of()), alembic)).isInstanceOf(GateDecision.Hold.class);
        alembic.getStatus().getRevision().setCurrent("b2,c3");
        assertThat(decide(pod("orders:2.0", Map.of()), alembic)).isInstanceOf(GateDecision.Admit.class);
    }

    @Test
    void aLiquibaseChangesetOrTagIsMetWhenTheHistoryHasIt() {
        DatabaseMigration liquibase = resource("add-orders, v2", false, false, List.of());
        CommandSpec command = new CommandSpec();
        command.setHistory(new CommandHistorySpec());
        command.getHistory().setFormat(HistoryFormat.liquibase);
        liquibase.getSpec().setEngine(Engine.command);
        liquibase.getSpec().setCommand(command);
        liquibase.getStatus().getRevision().setReached(List.of("v1", "create-customers"));

        assertThat(decide(pod("orders:2.0", Map.of(Gating.REVISION_ANNOTATION, "add-orders, v2")), liquibase))
                .as("a changeset id with a comma is one id")
                .isInstanceOf(GateDecision.Admit.class);
        assertThat(decide(pod("orders:2.0", Map.of(Gating.REVISION_ANNOTATION, "v1")), liquibase))
                .isInstanceOf(GateDecision.Admit.class);
        assertThat(decide(pod("orders:2.0", Map.of(Gating.REVISION_ANNOTATION, "v2")), liquibase))
                .isInstanceOf(GateDecision.Hold.class);
    }

    @Test
    void inWorkloadModeAPodNeedsTheScriptsOfItsOwnImage() {
        DatabaseMigration atThree = resource("3", false, true, APPLIED);

        // The old image keeps restarting while a migration for a newer one runs.
        assertThat(decide(pod("orders:1.0", Map.of()), atThree)).isInstanceOf(GateDecision.Admit.class);
        // A rollback to an image whose scripts are all applied.
        assertThat(decide(pod("orders:0.9", Map.of()), atThree)).isInstanceOf(GateDecision.Admit.class);
        // Known, but the database is behind it (restored from a backup, say).
        GateDecision behind = decide(pod("orders:1.1", Map.of()), atThree);
        assertThat(behind).isInstanceOf(GateDecision.Hold.class);
        assertThat(behind.reason())
                .isEqualTo("image orders:1.1 needs schema version 4 of orders; the schema is at version 3");
        // A new image: no run has succeeded for it yet.
        GateDecision unknown = decide(pod("orders:1.2", Map.of()), resource("4", true, true, APPLIED));
        assertThat(unknown).isInstanceOf(GateDecision.Hold.class);
        assertThat(unknown.reason()).startsWith("waits for the migrations of image orders:1.2");
    }

    @Test
    void theWorkloadContainerIsTheOneNamedNotTheFirst() {
        var pod = pod("orders:1.0", Map.of());
        pod.getSpec()
                .setContainers(List.of(
                        pod.getSpec().getContainers().get(1),
                        pod.getSpec().getContainers().get(0)));

        assertThat(decide(pod, resource("3", false, true, APPLIED))).isInstanceOf(GateDecision.Admit.class);
    }

    @Test
    void disabledGatingAdmitsEverything() {
        DatabaseMigration resource = resource(null, false, true, List.of());
        resource.getSpec().getGate().setEnabled(false);

        assertThat(decide(pod("orders:9", Map.of(Gating.REVISION_ANNOTATION, "9")), resource))
                .isInstanceOf(GateDecision.Admit.class);
    }

    @Test
    void findsItsOwnGateAmongOthers() {
        var pod = pod("orders:1.0", Map.of());
        assertThat(PodGate.isHeld(pod)).isFalse();

        pod.getSpec()
                .setSchedulingGates(List.of(
                        new PodSchedulingGate("example.com/quota"), new PodSchedulingGate(Gating.SCHEDULING_GATE)));

        assertThat(PodGate.gateIndex(pod)).isEqualTo(1);
    }

    private static GateDecision decide(Pod pod, DatabaseMigration resource) {
        return PodGate.decide(pod, NAMESPACE, Optional.of(resource));
    }
}
