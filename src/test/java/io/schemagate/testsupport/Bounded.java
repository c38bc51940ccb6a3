package io.schemagate.testsupport;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs one try of a property with a time limit: a parser that hangs fails the try instead of the build. */
public final class Bounded {
    private static final ExecutorService THREAD = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "bounded-try");
        thread.setDaemon(true);
        return thread;
    });

    private Bounded() {}

    /** The call's result; what it throws is thrown as it is, unchecked ones unwrapped. */
    public static <T> T call(Duration limit, Callable<T> call) {
        Future<T> running = THREAD.submit(call);
        try {
            return running.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException hung) {
            running.cancel(true);
            throw new AssertionError("a try took over " + limit, hung);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
