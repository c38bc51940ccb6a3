package io.schemagate.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class SchemaRevisionTest {

    @Test
    void theCurrentVersionIsTheHighestSuccessfulVersionedMigration() {
        SchemaRevision revision = SchemaRevision.fromHistory(List.of(
                row(1, null, "SCHEMA", true),
                row(2, "1.9", "SQL", true),
                row(3, "1.10", "SQL", true),
                row(4, null, "SQL", true),
                row(5, "2", "SQL", false)));

        assertThat(revision.historyTableExists()).isTrue();
        assertThat(revision.currentVersion()).contains(Version.parse("1.10"));
        assertThat(revision.failed())
                .extracting(AppliedMigration::installedRank)
                .containsExactly(5);
    }

    @Test
    void aBaselineCountsAndADeletedMigrationDoesNot() {
        SchemaRevision revision = SchemaRevision.fromHistory(
                List.of(row(1, "3", "BASELINE", true), row(2, "4", "SQL", true), row(3, "4", "DELETE", true)));

        assertThat(revision.currentVersion()).contains(Version.parse("3"));
        assertThat(revision.baseline()).contains(Version.parse("3"));
        assertThat(revision.appliedVersions()).containsExactly(Version.parse("3"));
    }

    @Test
    void onlyRepeatableMigrationsMeanNoVersion() {
        SchemaRevision revision = SchemaRevision.fromHistory(List.of(row(1, null, "SQL", true)));

        assertThat(revision.currentVersion()).isEmpty();
        assertThat(revision.failed()).isEmpty();
    }

    @Test
    void withoutAHistoryTableThereIsNothing() {
        SchemaRevision revision = SchemaRevision.withoutHistoryTable();

        assertThat(revision.historyTableExists()).isFalse();
        assertThat(revision.currentVersion()).isEmpty();
        assertThat(revision.applied()).isEmpty();
    }

    private static AppliedMigration row(int rank, @Nullable String version, String type, boolean success) {
        return new AppliedMigration(
                rank,
                version == null ? null : Version.parse(version),
                "d" + rank,
                type,
                "script" + rank,
                "1",
                Instant.now(),
                success);
    }
}
