package io.schemagate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.schemagate.reconcile.JobState;
import io.schemagate.testbed.TestNamespace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Every Job of a namespace and the pods they ran, as informers see them from the start of a test:
 * which Jobs completed or failed, how many pods of each succeeded, and whether two Jobs were ever
 * active at once. A Job counts after it is gone too (the operator deletes old finished Jobs, a test
 * may delete one), so the whole story of a test's runs can be asserted at its end.
 */
final class JobLedger implements AutoCloseable {
    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private final Set<String> completed = ConcurrentHashMap.newKeySet();
    private final Set<String> failed = ConcurrentHashMap.newKeySet();
    private final Set<String> active = new TreeSet<>();
    private final List<Set<String>> overlaps = new ArrayList<>();
    private final Map<String, Set<String>> succeededPods = new ConcurrentHashMap<>();
    private final SharedIndexInformer<Job> jobs;
    private final SharedIndexInformer<Pod> pods;

    /** Starts watching; returns once both informers have listed what exists already. */
    JobLedger(TestNamespace namespace) {
        jobs = namespace
                .client()
                .batch()
                .v1()
                .jobs()
                .inNamespace(namespace.name())
                .inform(handler(this::jobSeen, this::jobGone));
        pods = namespace
                .client()
                .pods()
                .inNamespace(namespace.name())
                .withLabel("batch.kubernetes.io/job-name")
                .inform(handler(this::podSeen, pod -> {}));
    }

    Set<String> created() {
        return Set.copyOf(created);
    }

    Set<String> completed() {
        return Set.copyOf(completed);
    }

    Set<String> failed() {
        return Set.copyOf(failed);
    }

    /** Each time a Job became active while others were: the Jobs active at that moment. */
    synchronized List<Set<String>> overlaps() {
        return List.copyOf(overlaps);
    }

    /**
     * Each run applied once: exactly {@code runs} Jobs completed, each with exactly one succeeded pod,
     * and no Job, finished or not, had more than one pod succeed.
     */
    void assertRunsSucceededOnce(int runs) {
        // The two informers' streams are not ordered with each other: a pod's end may come in after
        // its Job's.
        await("runs each succeeded once").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(completed)
                    .as("completed Jobs (all created: %s)", created)
                    .hasSize(runs);
            completed.forEach(job -> assertThat(succeededPods.getOrDefault(job, Set.of()))
                    .as("succeeded pods of %s", job)
                    .hasSize(1));
        });
        succeededPods.forEach((job, succeeded) ->
                assertThat(succeeded).as("succeeded pods of %s", job).hasSizeLessThanOrEqualTo(1));
    }

    private synchronized void jobSeen(Job job) {
        String name = job.getMetadata().getName();
        JobState state = recordEnd(job);
        // Active in the operator's own sense: not finished and not being deleted.
        if (state.isActive()) {
            if (active.add(name) && active.size() > 1) {
                overlaps.add(Set.copyOf(active));
            }
        } else {
            active.remove(name);
        }
    }

    /** A deleted Job's last state may be its first news of how it ended (a watch that reconnected). */
    private synchronized void jobGone(Job job) {
        recordEnd(job);
        active.remove(job.getMetadata().getName());
    }

    private JobState recordEnd(Job job) {
        String name = job.getMetadata().getName();
        created.add(name);
        JobState state = new JobState(job);
        if (state.isSucceeded()) {
            completed.add(name);
        } else if (state.isFinished()) {
            failed.add(name);
        }
        return state;
    }

    private void podSeen(Pod pod) {
        if (pod.getStatus() != null && "Succeeded".equals(pod.getStatus().getPhase())) {
            succeededPods
                    .computeIfAbsent(
                            pod.getMetadata().getLabels().get("batch.kubernetes.io/job-name"),
                            job -> ConcurrentHashMap.newKeySet())
                    .add(pod.getMetadata().getName());
        }
    }

    private static <T> ResourceEventHandler<T> handler(Consumer<T> seen, Consumer<T> gone) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                seen.accept(object);
            }

            @Override
            public void onUpdate(T before, T after) {
                seen.accept(after);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                gone.accept(object);
            }
        };
    }

    @Override
    public void close() {
        jobs.close();
        pods.close();
    }
}
