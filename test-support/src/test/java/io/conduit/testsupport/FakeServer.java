package io.conduit.testsupport;

import java.net.URI;

/** A stand-in server for the pure tests: records stop/start, runs nothing. */
final class FakeServer implements TestServer {

    private final Origin origin;
    boolean running = true;
    int starts;

    FakeServer(Origin origin) {
        this.origin = origin;
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public Origin origin() {
        return origin;
    }

    @Override
    public URI uri() {
        return URI.create("fake://127.0.0.1:1");
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return 1;
    }

    @Override
    public boolean restartable() {
        return origin != Origin.ENV_URL;
    }

    @Override
    public boolean running() {
        return running;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public void start() {
        starts++;
        running = true;
    }

    @Override
    public void close() {
        running = false;
    }
}
