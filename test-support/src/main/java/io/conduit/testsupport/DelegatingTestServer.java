package io.conduit.testsupport;

import java.net.URI;

/**
 * A typed face ({@link RedisServer}, {@link KafkaBroker}, {@link S3Server}) over however the server was
 * found: lifecycle and address come from the located server; the subclass adds what its kind offers.
 */
abstract class DelegatingTestServer implements TestServer {
    protected final TestServer server;

    DelegatingTestServer(TestServer server) {
        this.server = server;
    }

    @Override
    public String name() {
        return server.name();
    }

    @Override
    public Origin origin() {
        return server.origin();
    }

    @Override
    public URI uri() {
        return server.uri();
    }

    @Override
    public String host() {
        return server.host();
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public boolean restartable() {
        return server.restartable();
    }

    @Override
    public boolean running() {
        return server.running();
    }

    @Override
    public void stop() {
        server.stop();
    }

    @Override
    public void start() {
        server.start();
    }

    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return server.toString();
    }
}
