package io.conduit.testsupport;

import java.net.URI;

/**
 * A real server a test talks to, however it was found (see {@link Origin}). Redis now; Kafka and S3 follow the
 * same shape so tests and fault tests read the same for all of them.
 */
public interface TestServer extends AutoCloseable {

    /** Short kind name, e.g. {@code redis}; used in messages. */
    String name();

    Origin origin();

    /** What a client connects to, e.g. {@code redis://127.0.0.1:41234}. */
    URI uri();

    String host();

    int port();

    /**
     * Whether {@link #stop()} and {@link #start()} work: true for servers this JVM started, false for env-URL servers,
     * which belong to someone else. Fault tests should {@code assumeTrue(server.restartable())}.
     */
    boolean restartable();

    /** Whether it is up as far as we know (env-URL servers are assumed up). */
    boolean running();

    /** Stops the server so its port refuses connections. Throws {@link UnsupportedOperationException} if not {@link #restartable()}. */
    void stop();

    /** Starts a stopped server again on the same host and port (state is not kept). No-op when running. */
    void start();

    /** Stops for good and frees what it holds (temp dirs, containers). Env-URL servers are left alone. */
    @Override
    void close();
}
