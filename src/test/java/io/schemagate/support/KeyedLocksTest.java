package io.schemagate.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The lock of Job starts: per history table, so 200 databases start at once and one table never twice. */
class KeyedLocksTest {

    @Test
    void twoHundredKeysAreHeldAtOnce() throws Exception {
        int keys = 200;
        KeyedLocks<String> locks = new KeyedLocks<>();
        // Each holder waits inside its lock for all the others to be inside theirs: only locks that do
        // not exclude each other get every holder through.
        CyclicBarrier allInside = new CyclicBarrier(keys);
        ExecutorService pool = Executors.newFixedThreadPool(keys);
        try {
            List<Future<Integer>> held = new ArrayList<>();
            for (int i = 0; i < keys; i++) {
                String key = "database-" + i;
                held.add(pool.submit(() -> locks.holding(key, () -> allInside.await(30, TimeUnit.SECONDS))));
            }
            for (Future<Integer> holder : held) {
                holder.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(locks.size()).as("no lock is left once none is held").isZero();
    }

    @Test
    void oneKeyIsHeldByOneAtATime() throws Exception {
        KeyedLocks<String> locks = new KeyedLocks<>();
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch firstMayLeave = new CountDownLatch(1);
        AtomicBoolean secondInside = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task);
            threads.add(thread);
            return thread;
        });
        Future<Boolean> first = pool.submit(() -> locks.holding("orders", () -> {
            firstInside.countDown();
            return firstMayLeave.await(30, TimeUnit.SECONDS);
        }));
        firstInside.await(30, TimeUnit.SECONDS);
        Future<Boolean> second = pool.submit(() -> locks.holding("orders", () -> {
            secondInside.set(true);
            return true;
        }));

        // The second waits on the lock itself, not elsewhere: it had its chance and did not get in.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> threads.size() == 2 && threads.get(1).getState() == Thread.State.WAITING);
        assertThat(secondInside).isFalse();
        assertThat(locks.holding("customers", () -> "another key goes at once")).isNotNull();

        firstMayLeave.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.get(30, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        assertThat(secondInside).isTrue();
        assertThat(locks.size()).isZero();
    }
}
