package io.conduit.testsupport;

import java.net.URI;

/** A server named by an env URL. Someone else runs it, so it is never stopped, started or closed from here. */
final class ExternalServer implements TestServer {

    private final String name;
    private final Endpoint endpoint;
    private final String envVar;

    ExternalServer(String name, Endpoint endpoint, String envVar) {
        this.name = name;
        this.endpoint = endpoint;
        this.envVar = envVar;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Origin origin() {
        return Origin.ENV_URL;
    }

    @Override
    public URI uri() {
        return endpoint.uri();
    }

    @Override
    public String host() {
        return endpoint.host();
    }

    @Override
    public int port() {
        return endpoint.port();
    }

    @Override
    public boolean restartable() {
        return false;
    }

    @Override
    public boolean running() {
        return true;
    }

    @Override
    public void stop() {
        throw notOurs("stop");
    }

    @Override
    public void start() {
        throw notOurs("start");
    }

    @Override
    public void close() {
        // Not ours to close.
    }

    private UnsupportedOperationException notOurs(String what) {
        return new UnsupportedOperationException("cannot " + what + " " + name + " at " + endpoint.host() + ":" + endpoint.port()
                + ": it comes from " + envVar + " and is not ours. Fault tests should assumeTrue(server.restartable()).");
    }

    @Override
    public String toString() {
        return name + " from " + envVar + " at " + endpoint.host() + ":" + endpoint.port();
    }
}
