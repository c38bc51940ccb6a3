package io.schemagate.support;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per key: work under one key waits for the other work under it, never for work under
 * another key. A key's lock exists only while someone holds or waits for it, so keys seen once
 * leave nothing behind.
 */
public final class KeyedLocks<K> {

    /** Work done under a key's lock. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    private static final class Entry {
        private final ReentrantLock lock = new ReentrantLock();
        private int users;
    }

    private final ConcurrentHashMap<K, Entry> entries = new ConcurrentHashMap<>();

    public <T, E extends Exception> T holding(K key, Work<T, E> work) throws E {
        Entry entry = entries.compute(key, (unused, existing) -> {
            Entry used = existing == null ? new Entry() : existing;
            used.users++;
            return used;
        });
        entry.lock.lock();
        try {
            return work.run();
        } finally {
            entry.lock.unlock();
            entries.computeIfPresent(key, (unused, used) -> --used.users == 0 ? null : used);
        }
    }

    /** How many keys have a lock now: held or waited for. */
    public int size() {
        return entries.size();
    }
}
