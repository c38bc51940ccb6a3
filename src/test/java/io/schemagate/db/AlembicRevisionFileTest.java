package io.schemagate.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AlembicRevisionFileTest {

    @Test
    void readsTheAnnotatedAssignmentsOfTodaysTemplate() {
        AlembicRevisionFile file = AlembicRevisionFile.parse("b2.py", """
                \"""add email

                Revision ID: b2
                Revises: a1
                \"""
                from typing import Sequence, Union

                revision: str = 'b2'
                down_revision: Union[str, Sequence[str], None] = 'a1'
                branch_labels: Union[str, Sequence[str], None] = None
                depends_on: Union[str, Sequence[str], None] = None
                """);

        assertThat(file.revision()).isEqualTo("b2");
        assertThat(file.downRevisions()).containsExactly("a1");
        assertThat(file.dependsOn()).isEmpty();
    }

    @Test
    void readsOldStyleAssignmentsAMergeTupleOverLinesAndDependencies() {
        AlembicRevisionFile file = AlembicRevisionFile.parse("m.py", """
                revision = "m"
                down_revision = (
                    "b2",  # the accounts branch
                    "c3",
                )
                depends_on = ["x9"]
                """);

        assertThat(file.downRevisions()).containsExactly("b2", "c3");
        assertThat(file.dependsOn()).containsExactly("x9");
    }

    @Test
    void aRootHasNoParentsAndNothingOutsideModuleLevelCounts() {
        AlembicRevisionFile file = AlembicRevisionFile.parse("a1.py", """
                \"""first
                revision = 'not-this-one'
                \"""
                revision = 'a1'
                down_revision = None
                # down_revision = 'commented-out'

                def upgrade():
                    revision = 'local'
                    down_revision = 'local'
                """);

        assertThat(file.revision()).isEqualTo("a1");
        assertThat(file.downRevisions()).isEmpty();
    }

    @Test
    void aComputedValueIsRefusedWithTheFileAndLine() {
        assertThatThrownBy(() -> AlembicRevisionFile.parse("versions/c3.py", """
                revision = 'c3'
                down_revision = PARENT
                """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("versions/c3.py, line 2")
                .hasMessageContaining("down_revision must be a string");
    }

    @Test
    void aScriptWithoutRevisionIsRefused() {
        assertThatThrownBy(() -> AlembicRevisionFile.parse("helpers.py", "def helper():\n    pass\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("helpers.py: no module-level revision");
    }
}
