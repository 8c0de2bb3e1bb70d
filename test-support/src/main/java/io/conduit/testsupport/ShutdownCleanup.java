package io.conduit.testsupport;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Closes what tests forgot to (processes, temp dirs, containers) when the JVM exits, newest first, so no
 * redis-server or gateway outlives the build. Does not help if the JVM is killed with SIGKILL.
 */
final class ShutdownCleanup {

    private static final Deque<AutoCloseable> PENDING = new ConcurrentLinkedDeque<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ShutdownCleanup::runAll, "conduit-test-cleanup"));
    }

    private ShutdownCleanup() {
    }

    static void register(AutoCloseable resource) {
        PENDING.push(resource);
    }

    static void unregister(AutoCloseable resource) {
        PENDING.remove(resource);
    }

    private static void runAll() {
        AutoCloseable resource;
        while ((resource = PENDING.poll()) != null) {
            try {
                resource.close();
            } catch (Exception | Error e) {
                // Best effort at exit: one stuck resource must not keep the rest alive.
            }
        }
    }
}
