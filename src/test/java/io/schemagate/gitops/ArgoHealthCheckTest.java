package io.schemagate.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;

/**
 * Runs the Argo CD health check, deploy/argocd/health.lua, in a Lua interpreter on resources the
 * operator wrote.
 *
 * <p>The documents in src/test/resources/gitops are {@code kubectl get dbm -o json} output of the
 * packaged operator (default settings) on the local test bed, taken in each state; only uid,
 * resourceVersion, creationTimestamp and kubectl's last-applied annotation were removed:
 * <ul>
 * <li>{@code new.json}: a resource applied while the operator was stopped, so only the CRD's
 * default status (observed generation -1);</li>
 * <li>{@code current.json}: examples/quickstart after its three migrations;</li>
 * <li>{@code running.json}: the same with a V4 that sleeps 40 s, during its run;</li>
 * <li>{@code stalled.json}: then a V5 with a syntax error;</li>
 * <li>{@code retrying-secret-not-found.json}: a credentials Secret that does not exist;</li>
 * <li>{@code retrying-database-unreachable.json}: a URL Secret pointing at port 1;</li>
 * <li>{@code suspended.json}: {@code suspend: true} with three migrations pending;</li>
 * <li>{@code awaiting-approval.json}: {@code approval.required: true} with two migrations pending and
 * no approval yet (ApprovalIT's resource);</li>
 * <li>{@code unobserved-stalled.json}: the stalled resource just after its target was changed,
 * caught before the operator reconciled it (generation 2, observed 1);</li>
 * <li>{@code unobserved-ready.json}: a Ready resource whose spec was changed while the operator was
 * stopped (generation 3, observed 2).</li>
 * </ul>
 */
class ArgoHealthCheckTest {
    private static final Path SCRIPT = Path.of("deploy/argocd/health.lua");
    private static final Path DOC = Path.of("docs/gitops.md");
    private static final String CONFIG_MAP_KEY = "resource.customizations.health.schemagate.io_DatabaseMigration";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Health(String status, String message) {}

    @Test
    void aResourceWithoutStatusWaitsForTheOperator() throws IOException {
        assertThat(check(document("new.json")))
                .isEqualTo(new Health("Progressing", "Waiting for the operator to observe generation 1"));
    }

    @Test
    void aCurrentSchemaIsHealthyWithTheReadyMessage() throws IOException {
        assertThat(check(document("current.json"))).isEqualTo(new Health("Healthy", "schema at version 3"));
    }

    @Test
    void aRunningMigrationIsProgressing() throws IOException {
        assertThat(check(document("running.json")))
                .isEqualTo(new Health("Progressing", "MigrationRunning: Job shop-628fcc3987-1 is applying migrations"));
    }

    @Test
    void aMissingSecretIsRetriedSoItIsProgressingNotDegraded() throws IOException {
        assertThat(check(document("retrying-secret-not-found.json")))
                .isEqualTo(new Health(
                        "Progressing",
                        "SecretNotFound: Secret orders-migrator not found in namespace gitops; retrying in 10s"));
    }

    @Test
    void anUnreachableDatabaseIsRetriedSoItIsProgressingNotDegraded() throws IOException {
        Health health = check(document("retrying-database-unreachable.json"));

        assertThat(health.status()).isEqualTo("Progressing");
        assertThat(health.message())
                .startsWith(
                        "DatabaseUnreachable: cannot read the schema history of jdbc:postgresql://127.0.0.1:1/inventory")
                .endsWith("; retrying in 10s");
    }

    @Test
    void aFailedScriptIsDegradedWithTheStalledReasonAndMessage() throws IOException {
        JsonNode resource = document("stalled.json");

        Health health = check(resource);

        assertThat(health.status()).isEqualTo("Degraded");
        assertThat(health.message())
                .isEqualTo("MigrationFailed: " + conditionMessage(resource, "Stalled"))
                .contains("V5__add_order_status.sql", "SQLSTATE 42601");
    }

    @Test
    void pendingMigrationsHeldBackBySuspendAreSuspended() throws IOException {
        assertThat(check(document("suspended.json")))
                .isEqualTo(new Health("Suspended", "3 pending migrations (1, 2, 3); suspended, no run is started"));
    }

    @Test
    void aRunWaitingForTheApprovalOfItsPlanIsSuspendedWithHowToApprove() throws IOException {
        JsonNode resource = document("awaiting-approval.json");
        String digest = resource.path("status").path("plan").path("digest").asText();

        assertThat(check(resource))
                .isEqualTo(new Health(
                        "Suspended",
                        "2 pending migrations (1, 2) waits for approval"
                                + " of plan " + digest + " (status.plan): kubectl annotate dbm/orders --overwrite"
                                + " schemagate.io/approve=" + digest));
    }

    @Test
    void aStalledStatusOfAnOlderGenerationIsNotDegraded() throws IOException {
        // The spec change may be the fix: the old Stalled says nothing about it.
        assertThat(check(document("unobserved-stalled.json")))
                .isEqualTo(new Health("Progressing", "Waiting for the operator to observe generation 2"));
    }

    @Test
    void aReadyStatusOfAnOlderGenerationIsNotHealthy() throws IOException {
        // Right after a sync the previous spec's Ready is still there: Argo CD must not move on.
        assertThat(check(document("unobserved-ready.json")))
                .isEqualTo(new Health("Progressing", "Waiting for the operator to observe generation 3"));
    }

    @Test
    void aStatusWithoutConditionsIsProgressing() throws IOException {
        // Derived from new.json: the operator's first status write carries conditions, so this
        // state was not seen on the bed; the script must still not fail on it.
        ObjectNode resource = (ObjectNode) document("new.json");
        resource.putObject("status").put("observedGeneration", 1);

        assertThat(check(resource))
                .isEqualTo(new Health("Progressing", "Waiting for the operator to report conditions"));
    }

    @Test
    void theDocumentedConfigMapInlinesTheScriptAsItIs() throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        int key = lines.indexOf("  " + CONFIG_MAP_KEY + ": |");
        assertThat(key).as("docs/gitops.md has the argocd-cm key").isNotNegative();

        StringBuilder inlined = new StringBuilder();
        for (String line : lines.subList(key + 1, lines.size())) {
            if (line.startsWith("```")) {
                break;
            }
            inlined.append(line.isEmpty() ? "" : line.substring(4)).append('\n');
        }
        assertThat(inlined.toString()).isEqualTo(Files.readString(SCRIPT));
    }

    /**
     * Runs the script as Argo CD does: {@code obj} is the resource, the chunk returns the health
     * table. Argo CD opens only the base, package and table libraries (and a reduced os) for a
     * script from argocd-cm, so string and math are left out here too: a script that used them
     * would pass here and fail in Argo CD.
     */
    private static Health check(JsonNode resource) throws IOException {
        Globals globals = new Globals();
        globals.load(new JseBaseLib());
        globals.load(new PackageLib());
        globals.load(new TableLib());
        LoadState.install(globals);
        LuaC.install(globals);
        globals.set("obj", JsonToLua.convert(resource));

        LuaValue hs = globals.load(Files.readString(SCRIPT), SCRIPT.toString()).call();

        Health health =
                new Health(hs.get("status").checkjstring(), hs.get("message").checkjstring());
        assertThat(health.status()).isIn("Healthy", "Progressing", "Degraded", "Suspended");
        return health;
    }

    private static JsonNode document(String name) throws IOException {
        try (InputStream in = ArgoHealthCheckTest.class.getResourceAsStream("/gitops/" + name)) {
            assertThat(in).as("test resource gitops/" + name).isNotNull();
            return JSON.readTree(in);
        }
    }

    private static String conditionMessage(JsonNode resource, String type) {
        for (JsonNode condition : resource.path("status").path("conditions")) {
            if (type.equals(condition.path("type").asText())) {
                return condition.path("message").asText();
            }
        }
        throw new AssertionError("no " + type + " condition");
    }
}
