package io.conduit.testsupport;

import java.util.function.Supplier;

/**
 * One server per JVM, looked for once: the outcome (server, skip or failure) is remembered, so a missing server
 * costs one search, not one per test. Hands out a running server even if a fault test left it stopped.
 */
final class Shared<S extends TestServer> {

    private final Supplier<Resolution<S>> locate;
    private Resolution<S> resolution;

    Shared(Supplier<Resolution<S>> locate) {
        this.locate = locate;
    }

    synchronized S get() {
        if (resolution == null) {
            resolution = locate.get();
        }
        S server = resolution.get();
        if (server.restartable() && !server.running()) {
            server.start();
        }
        return server;
    }
}
