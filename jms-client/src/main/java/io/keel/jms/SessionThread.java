package io.keel.jms;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery thread of one session: message listeners and completion listeners of the session run
 * on it, one at a time (JMS 3.1 §6.2.13 serial execution). It also knows, through thread-locals,
 * which session's listener runs on the current thread, for the rules on what a listener may call.
 */
final class SessionThread {

    private static final Logger LOG = LoggerFactory.getLogger(SessionThread.class);
    /** The session whose listener (or completion listener) runs on the current thread. */
    private static final ThreadLocal<KeelSession> LISTENER = new ThreadLocal<>();
    private static final ThreadLocal<Boolean> IN_COMPLETION = new ThreadLocal<>();

    private final KeelSession session;
    private final ExecutorService executor;
    private volatile Thread thread;

    SessionThread(KeelSession session, String name) {
        this.session = session;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    /** The session whose message or completion listener runs on the current thread, or null. */
    static KeelSession listenerSession() {
        return LISTENER.get();
    }

    /** Whether a completion listener runs on the current thread. */
    static boolean inCompletionListener() {
        return Boolean.TRUE.equals(IN_COMPLETION.get());
    }

    boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    /** Runs a consumer's listener over its buffered messages. */
    void drain(KeelMessageConsumer c) {
        executor.execute(() -> {
            LISTENER.set(session);
            try {
                c.drainToListener();
            } finally {
                LISTENER.remove();
            }
        });
    }

    /** Runs a completion listener callback, in the order they were queued. */
    CompletableFuture<Void> callback(Runnable callback) {
        return CompletableFuture.runAsync(() -> {
            LISTENER.set(session);
            IN_COMPLETION.set(Boolean.TRUE);
            try {
                callback.run();
            } catch (RuntimeException e) {
                LOG.warn("a completion listener threw {}", e.toString());
            } finally {
                IN_COMPLETION.remove();
                LISTENER.remove();
            }
        }, executor);
    }

    /** Waits until no listener runs (stop, close); returns at once on the thread itself. */
    void awaitIdle() {
        if (isCurrent() || executor.isShutdown()) {
            return;
        }
        try {
            executor.submit(() -> { }).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.warn("a message listener of the session did not return within 60 s");
        }
    }

    void shutdown() {
        executor.shutdown();
    }
}
