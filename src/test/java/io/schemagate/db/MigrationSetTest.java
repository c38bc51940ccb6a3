package io.schemagate.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MigrationSetTest {

    private static final Map<String, String> SCRIPTS = Map.of(
            "V1__customer.sql", "CREATE TABLE customer (id int);",
            "V1.10__late.sql", "SELECT 110;",
            "V1.9__nine.sql", "SELECT 19;",
            "V2__orders.sql", "CREATE TABLE orders (id int);",
            "R__b_view.sql", "CREATE OR REPLACE VIEW b AS SELECT 1;",
            "R__a_view.sql", "CREATE OR REPLACE VIEW a AS SELECT 1;",
            "README.md", "ignored");

    @Test
    void sortsMigrationsAsFlywayAppliesThem() {
        MigrationSet set = MigrationSet.of(SCRIPTS);

        assertThat(set.versioned())
                .extracting(Migration::script)
                .containsExactly("V1__customer.sql", "V1.9__nine.sql", "V1.10__late.sql", "V2__orders.sql");
        assertThat(set.repeatable()).extracting(Migration::script).containsExactly("R__a_view.sql", "R__b_view.sql");
        assertThat(set.highestVersion()).contains(Version.parse("2"));
        assertThat(set.isValid()).isTrue();
    }

    @Test
    void anEmptySetHasNoHighestVersion() {
        assertThat(MigrationSet.of(Map.of("README.md", "x")).highestVersion()).isEmpty();
    }

    @Test
    void reportsEveryBadNameAndDuplicateVersion() {
        MigrationSet set = MigrationSet.of(Map.of(
                "V1__a.sql", "SELECT 1;",
                "V1.0__same_version.sql", "SELECT 1;",
                "V2_single_underscore.sql", "SELECT 2;",
                "V3__ok.sql", "SELECT 3;"));

        assertThat(set.isValid()).isFalse();
        assertThat(set.errors())
                .hasSize(2)
                .anySatisfy(error -> assertThat(error).contains("V1__a.sql").contains("version 1"))
                .anySatisfy(error -> assertThat(error).startsWith("V2_single_underscore.sql:"));
        assertThat(set.versioned()).extracting(Migration::script).contains("V3__ok.sql");
    }

    @Test
    void theDigestIgnoresMapOrderAndNonSqlFiles() {
        Map<String, String> reversed = new TreeMap<>(Comparator.reverseOrder());
        reversed.putAll(SCRIPTS);
        reversed.put("notes.txt", "other file");
        Map<String, String> insertionOrder = new LinkedHashMap<>(SCRIPTS);

        assertThat(MigrationSet.of(reversed).digest())
                .isEqualTo(MigrationSet.of(insertionOrder).digest())
                .isEqualTo(MigrationSet.of(SCRIPTS).digest())
                .hasSize(64);
    }

    @Test
    void theDigestChangesWithAnyScript() {
        String digest = MigrationSet.of(SCRIPTS).digest();
        Map<String, String> edited = new TreeMap<>(SCRIPTS);
        edited.put("V2__orders.sql", "CREATE TABLE orders (id bigint);");
        Map<String, String> renamed = new TreeMap<>(SCRIPTS);
        renamed.put("V2__orders_renamed.sql", renamed.remove("V2__orders.sql"));
        Map<String, String> added = new TreeMap<>(SCRIPTS);
        added.put("V3__more.sql", "SELECT 3;");

        assertThat(List.of(
                        MigrationSet.of(edited).digest(),
                        MigrationSet.of(renamed).digest(),
                        MigrationSet.of(added).digest()))
                .doesNotContain(digest)
                .doesNotHaveDuplicates();
    }

    @Test
    void theDigestCannotBeFooledByMovingTextBetweenNameAndContent() {
        assertThat(MigrationSet.of(Map.of("V1__a.sql", "bc")).digest())
                .isNotEqualTo(MigrationSet.of(Map.of("V1__a.sqlb", "c")).digest());
    }

    @Test
    void pendingVersionsAreTheUnappliedOnesUpToTheTarget() {
        MigrationSet set = MigrationSet.of(SCRIPTS);
        SchemaRevision revision = SchemaRevision.fromHistory(List.of(applied(1, "1", true), applied(2, "1.9", true)));

        assertThat(set.pending(revision, Version.LATEST))
                .extracting(Version::toString)
                .containsExactly("1.10", "2");
        assertThat(set.pending(revision, Version.parse("1.10")))
                .extracting(Version::toString)
                .containsExactly("1.10");
        assertThat(set.pending(SchemaRevision.withoutHistoryTable(), Version.LATEST))
                .hasSize(4);
    }

    @Test
    void aFailedOrSkippedVersionIsStillPendingButVersionsUpToTheBaselineAreNot() {
        MigrationSet set = MigrationSet.of(SCRIPTS);
        List<AppliedMigration> history = new ArrayList<>();
        history.add(new AppliedMigration(
                1,
                Version.parse("1.9"),
                "<< Flyway Baseline >>",
                "BASELINE",
                "<< Flyway Baseline >>",
                null,
                Instant.now(),
                true));
        history.add(applied(2, "2", true));

        assertThat(set.pending(SchemaRevision.fromHistory(history), Version.LATEST))
                .containsExactly(Version.parse("1.10"));
        assertThat(set.pending(SchemaRevision.fromHistory(List.of(applied(1, "1", false))), Version.parse("1")))
                .containsExactly(Version.parse("1"));
    }

    @Test
    void detectsAppliedScriptsThatWereEdited() {
        MigrationSet set = MigrationSet.of(SCRIPTS);
        AppliedMigration unchanged = new AppliedMigration(
                1,
                Version.parse("1"),
                "customer",
                "SQL",
                "V1__customer.sql",
                ScriptConvention.FLYWAY.checksum("CREATE TABLE customer (id int);"),
                Instant.now(),
                true);
        AppliedMigration edited = new AppliedMigration(
                2,
                Version.parse("2"),
                "orders",
                "SQL",
                "V2__orders.sql",
                ScriptConvention.FLYWAY.checksum("CREATE TABLE orders (id bigint);"),
                Instant.now(),
                true);

        assertThat(set.drifted(SchemaRevision.fromHistory(List.of(unchanged, edited))))
                .extracting(Migration::script)
                .containsExactly("V2__orders.sql");
    }

    private static AppliedMigration applied(int rank, String version, boolean success) {
        return new AppliedMigration(
                rank,
                Version.parse(version),
                "m" + rank,
                "SQL",
                "V" + version + "__m.sql",
                "0",
                Instant.now(),
                success);
    }
}
