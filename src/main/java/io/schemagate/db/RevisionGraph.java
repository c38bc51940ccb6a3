package io.schemagate.db;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Alembic's revisions as a graph: each names the revisions it follows, so branches and merge points
 * are ordinary. A revision is reached when it is a head of the database or an ancestor of one,
 * through its parents or the revisions it depends on, because Alembic applies those first.
 */
public final class RevisionGraph {

    private final Map<String, AlembicRevisionFile> revisions;
    private final List<String> errors;

    private RevisionGraph(Map<String, AlembicRevisionFile> revisions, List<String> errors) {
        this.revisions = revisions;
        this.errors = errors;
    }

    /** The graph of the given scripts, with one message per problem Alembic would refuse to run with. */
    public static RevisionGraph of(List<AlembicRevisionFile> files) {
        Map<String, AlembicRevisionFile> revisions = new HashMap<>();
        List<String> errors = new ArrayList<>();
        for (AlembicRevisionFile file : files) {
            AlembicRevisionFile clash = revisions.putIfAbsent(file.revision(), file);
            if (clash != null) {
                errors.add(
                        file.fileName() + ": revision " + file.revision() + " is also declared by " + clash.fileName());
            }
        }
        for (AlembicRevisionFile file : revisions.values()) {
            for (String parent : parentsOf(file)) {
                if (!revisions.containsKey(parent)) {
                    errors.add(file.fileName() + ": revision " + file.revision() + " follows " + parent
                            + ", which no script declares");
                }
            }
        }
        RevisionGraph graph = new RevisionGraph(revisions, errors);
        if (errors.isEmpty()) {
            graph.cycle().ifPresent(errors::add);
        }
        errors.sort(String::compareTo);
        return new RevisionGraph(Map.copyOf(revisions), List.copyOf(errors));
    }

    public List<String> errors() {
        return errors;
    }

    public boolean isValid() {
        return errors.isEmpty();
    }

    public int size() {
        return revisions.size();
    }

    public boolean contains(String revision) {
        return revisions.containsKey(revision);
    }

    /** Revisions no other one follows, sorted: what {@code alembic upgrade heads} leads to. */
    public List<String> heads() {
        Set<String> followed = new TreeSet<>();
        revisions.values().forEach(file -> followed.addAll(file.downRevisions()));
        return revisions.keySet().stream()
                .filter(revision -> !followed.contains(revision))
                .sorted()
                .toList();
    }

    /**
     * The given revisions and every revision they need, newest first: each one before the revisions
     * it follows, so that cutting the list keeps the ones nearest the heads. Unknown ids are left out.
     */
    public List<String> reached(Collection<String> heads) {
        Map<String, Integer> pendingChildren = new HashMap<>();
        Set<String> closure = closure(heads);
        // Parents outside the closure are ids no script declares (an error of the graph): left out.
        for (String revision : closure) {
            for (String parent : parentsOf(revision)) {
                if (closure.contains(parent)) {
                    pendingChildren.merge(parent, 1, Integer::sum);
                }
            }
        }
        // Kahn's order from the heads down: a revision comes once everything that needs it came.
        Deque<String> ready = new ArrayDeque<>(new TreeSet<>(closure.stream()
                .filter(revision -> !pendingChildren.containsKey(revision))
                .toList()));
        List<String> ordered = new ArrayList<>();
        while (!ready.isEmpty()) {
            String revision = ready.removeFirst();
            ordered.add(revision);
            for (String parent : new TreeSet<>(parentsOf(revision))) {
                if (closure.contains(parent) && pendingChildren.merge(parent, -1, Integer::sum) == 0) {
                    ready.addLast(parent);
                }
            }
        }
        return List.copyOf(ordered);
    }

    /** The given revisions and all they need, unordered. */
    public Set<String> closure(Collection<String> heads) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(heads);
        while (!todo.isEmpty()) {
            String revision = todo.removeFirst();
            AlembicRevisionFile file = revisions.get(revision);
            if (file != null && seen.add(revision)) {
                todo.addAll(parentsOf(file));
            }
        }
        return seen;
    }

    /**
     * What {@code alembic upgrade <target>} aims at: every head for {@code heads}, the single head for
     * {@code head}, else the named revision.
     *
     * @throws IllegalArgumentException when the target names nothing, or {@code head} is ambiguous
     */
    public List<String> resolve(String target) {
        List<String> heads = heads();
        if (target.equals("heads")) {
            return heads;
        }
        if (target.equals("head")) {
            if (heads.size() > 1) {
                throw new IllegalArgumentException(
                        "the scripts have " + heads.size() + " heads (" + String.join(", ", heads)
                                + "), so 'head' names none of them: set spec.target to 'heads' or to one revision");
            }
            return heads;
        }
        if (!revisions.containsKey(target)) {
            throw new IllegalArgumentException("no script declares revision " + target);
        }
        return List.of(target);
    }

    /** The parents of a revision of the graph; none for an id no script declares (an error of its own). */
    private List<String> parentsOf(String revision) {
        AlembicRevisionFile file = revisions.get(revision);
        return file == null ? List.of() : parentsOf(file);
    }

    private static List<String> parentsOf(AlembicRevisionFile file) {
        List<String> parents = new ArrayList<>(file.downRevisions());
        parents.addAll(file.dependsOn());
        return parents;
    }

    /** A depth-first walk along parents; a revision met again while still on the path closes a cycle. */
    private Optional<String> cycle() {
        Set<String> done = new HashSet<>();
        for (String start : new TreeSet<>(revisions.keySet())) {
            if (done.contains(start)) {
                continue;
            }
            Set<String> onPath = new HashSet<>(Set.of(start));
            Deque<Map.Entry<String, Iterator<String>>> path = new ArrayDeque<>();
            path.push(Map.entry(start, parentsOf(start).iterator()));
            while (!path.isEmpty()) {
                Map.Entry<String, Iterator<String>> top = path.peek();
                if (!top.getValue().hasNext()) {
                    onPath.remove(top.getKey());
                    done.add(top.getKey());
                    path.pop();
                    continue;
                }
                String parent = top.getValue().next();
                if (onPath.contains(parent)) {
                    return Optional.of(Objects.requireNonNull(revisions.get(top.getKey()), top.getKey())
                                    .fileName() + ": revision " + top.getKey() + " is its own ancestor through "
                            + parent);
                }
                if (done.add(parent)) {
                    onPath.add(parent);
                    path.push(Map.entry(parent, parentsOf(parent).iterator()));
                }
            }
        }
        return Optional.empty();
    }
}
