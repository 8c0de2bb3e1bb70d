package io.conduit.gateway.edge.limits;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Closes HTTP/1 connections that take too long to send a request's headers (slowloris): the idle
 * timeout alone never fires for a client that trickles a byte now and then. A new connection has the
 * request timeout to send its first request head; once a request is answered, a kept-alive connection
 * has the idle timeout to send the next one. Requests in flight (a long upload) are left alone: their
 * bodies are held to a minimum rate by the body-progress check. One sweep timer checks every connection.
 */
public final class HeaderDeadline implements AutoCloseable {
    static final long SWEEP_MILLIS = 250;

    private static final class Watch {
        final long openedNanos = System.nanoTime();
        volatile HttpServerRequest last;
        HttpServerRequest answered;
        long answeredNanos;
    }

    private final Vertx vertx;
    private final LongSupplier requestTimeoutMillis;
    private final LongSupplier idleTimeoutMillis;
    private final Map<HttpConnection, Watch> watches = new ConcurrentHashMap<>();
    private final long sweeper;

    public HeaderDeadline(Vertx vertx, LongSupplier requestTimeoutMillis, LongSupplier idleTimeoutMillis) {
        this.vertx = vertx;
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.sweeper = vertx.setPeriodic(SWEEP_MILLIS, id -> sweep());
    }

    /** A connection was accepted. */
    public void opened(HttpConnection connection) {
        watches.put(connection, new Watch());
        connection.closeHandler(v -> watches.remove(connection));
    }

    /** A request's head arrived on its connection. */
    public void headersArrived(HttpServerRequest request) {
        HttpConnection connection = request.connection();
        if (request.version() == HttpVersion.HTTP_2) {
            // Streams share the connection and have their own flow control.
            watches.remove(connection);
            return;
        }
        Watch watch = watches.get(connection);
        if (watch != null) {
            watch.last = request;
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        long firstHead = TimeUnit.MILLISECONDS.toNanos(requestTimeoutMillis.getAsLong());
        long nextHead = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis.getAsLong());
        watches.forEach((connection, watch) -> {
            HttpServerRequest last = watch.last;
            boolean late;
            if (last == null) {
                late = now - watch.openedNanos > firstHead;
            } else if (last.response().ended() || last.response().closed()) {
                if (watch.answered != last) {
                    watch.answered = last;
                    watch.answeredNanos = now;
                }
                late = now - watch.answeredNanos > nextHead;
            } else {
                late = false;
            }
            if (late) {
                watches.remove(connection);
                connection.close();
            }
        });
    }

    @Override
    public void close() {
        vertx.cancelTimer(sweeper);
    }
}
