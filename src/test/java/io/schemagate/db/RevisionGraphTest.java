package io.schemagate.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RevisionGraphTest {

    /** a1 <- b2 <- m, a1 <- c3 <- m: two branches merged; d4 follows m and depends on x9, a root of its own. */
    private final RevisionGraph graph = RevisionGraph.of(List.of(
            file("a1"),
            file("b2", "a1"),
            file("c3", "a1"),
            file("m", "b2", "c3"),
            new AlembicRevisionFile("d4.py", "d4", List.of("m"), List.of("x9")),
            file("x9")));

    /** As Alembic counts them: a dependency does not make x9 less of a head ("effective head"). */
    @Test
    void headsAreTheRevisionsNoOtherOneFollows() {
        assertThat(graph.isValid()).isTrue();
        assertThat(graph.heads()).containsExactly("d4", "x9");
    }

    @Test
    void reachedIsEverythingBelowTheHeadsNewestFirst() {
        List<String> reached = graph.reached(List.of("d4"));

        assertThat(reached).containsExactlyInAnyOrder("d4", "m", "b2", "c3", "a1", "x9");
        assertThat(reached.get(0)).isEqualTo("d4");
        assertThat(reached.indexOf("m")).isLessThan(reached.indexOf("b2")).isLessThan(reached.indexOf("a1"));
        assertThat(reached.indexOf("c3")).isLessThan(reached.indexOf("a1"));
        assertThat(graph.reached(List.of("b2"))).containsExactly("b2", "a1");
    }

    @Test
    void aBranchPointIsNotReachedByTheOtherBranch() {
        assertThat(graph.closure(List.of("b2"))).doesNotContain("c3");
    }

    @Test
    void headIsAmbiguousWithTwoHeadsAndHeadsNamesThemAll() {
        RevisionGraph branched = RevisionGraph.of(List.of(file("a1"), file("b2", "a1"), file("c3", "a1")));

        assertThat(branched.resolve("heads")).containsExactly("b2", "c3");
        assertThat(branched.resolve("b2")).containsExactly("b2");
        assertThatThrownBy(() -> branched.resolve("head")).hasMessageContaining("2 heads (b2, c3)");
        assertThatThrownBy(() -> branched.resolve("zz")).hasMessageContaining("no script declares revision zz");
    }

    @Test
    void anUnknownParentADuplicateAndACycleAreErrors() {
        assertThat(RevisionGraph.of(List.of(file("a1"), file("b2", "gone"))).errors())
                .containsExactly("b2.py: revision b2 follows gone, which no script declares");
        assertThat(RevisionGraph.of(List.of(file("a1"), new AlembicRevisionFile("copy.py", "a1", List.of(), List.of())))
                        .errors())
                .containsExactly("copy.py: revision a1 is also declared by a1.py");
        assertThat(RevisionGraph.of(List.of(file("a1", "b2"), file("b2", "a1"))).errors())
                .singleElement()
                .asString()
                .contains("is its own ancestor");
    }

    @Test
    void whatAGraphWithAnUnknownParentReachedLeavesTheUnknownOut() {
        RevisionGraph broken = RevisionGraph.of(List.of(file("a1"), file("b2", "gone"), file("c3", "b2")));

        assertThat(broken.reached(List.of("c3"))).containsExactly("c3", "b2");
    }

    private static AlembicRevisionFile file(String revision, String... parents) {
        return new AlembicRevisionFile(revision + ".py", revision, List.of(parents), List.of());
    }
}
