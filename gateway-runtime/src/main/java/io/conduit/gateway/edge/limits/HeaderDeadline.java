package io.conduit.gateway.edge.limits;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Closes HTTP/1 connections that take too long to send a request's headers (slowloris): the idle
 * timeout alone never fires for a client that trickles a byte now and then. A new connection has the
 * request timeout to send its first request head; once a request is answered, a kept-alive connection
 * has the idle timeout to send the next one. Requests in flight (a long upload) are left alone: their
 * bodies are held to a minimum rate by the body-progress check.
 *
 * <p>Each event loop sweeps its own connections with its own timer: a request's response state belongs to the loop
 * that serves it, and reading it from another loop would contend with that loop's writes (a single shared sweep was
 * seen holding the other loops up for seconds under load). Everything here runs on the connection's loop.
 */
public final class HeaderDeadline implements AutoCloseable {
    static final long SWEEP_MILLIS = 250;

    private static final class Watch {
        final long openedNanos = System.nanoTime();
        HttpServerRequest last;
        HttpServerRequest answered;
        long answeredNanos;
    }

    /** The connections one event loop serves, touched only by that loop, and the timer that sweeps them there. */
    private final class LoopWatches {
        final Map<HttpConnection, Watch> watches = new HashMap<>();
        final long sweeper = vertx.setPeriodic(SWEEP_MILLIS, id -> sweep(watches));
    }

    private final Vertx vertx;
    private final LongSupplier requestTimeoutMillis;
    private final LongSupplier idleTimeoutMillis;
    /** Keyed by event-loop thread: requests run on duplicates of their server's context, but on its thread. */
    private final Map<Thread, LoopWatches> loops = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public HeaderDeadline(Vertx vertx, LongSupplier requestTimeoutMillis, LongSupplier idleTimeoutMillis) {
        this.vertx = vertx;
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.idleTimeoutMillis = idleTimeoutMillis;
    }

    /** A connection was accepted (called on the loop that will serve it). */
    public void opened(HttpConnection connection) {
        if (closed) {
            return;
        }
        // Created on this loop, so its periodic timer fires on this loop.
        Map<HttpConnection, Watch> watches = loops.computeIfAbsent(Thread.currentThread(), thread -> new LoopWatches()).watches;
        watches.put(connection, new Watch());
        connection.closeHandler(v -> watches.remove(connection));
    }

    /** A request's head arrived on its connection. */
    public void headersArrived(HttpServerRequest request) {
        LoopWatches loop = loops.get(Thread.currentThread());
        if (loop == null) {
            return;
        }
        HttpConnection connection = request.connection();
        if (request.version() == HttpVersion.HTTP_2) {
            // Streams share the connection and have their own flow control.
            loop.watches.remove(connection);
            return;
        }
        Watch watch = loop.watches.get(connection);
        if (watch != null) {
            watch.last = request;
        }
    }

    private void sweep(Map<HttpConnection, Watch> watches) {
        long now = System.nanoTime();
        long firstHead = TimeUnit.MILLISECONDS.toNanos(requestTimeoutMillis.getAsLong());
        long nextHead = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis.getAsLong());
        List<HttpConnection> late = new ArrayList<>();
        watches.forEach((connection, watch) -> {
            HttpServerRequest last = watch.last;
            boolean overdue;
            if (last == null) {
                overdue = now - watch.openedNanos > firstHead;
            } else if (last.response().ended() || last.response().closed()) {
                if (watch.answered != last) {
                    watch.answered = last;
                    watch.answeredNanos = now;
                }
                overdue = now - watch.answeredNanos > nextHead;
            } else {
                overdue = false;
            }
            if (overdue) {
                late.add(connection);
            }
        });
        // Closed after the walk: a close handler may run at once and remove its entry.
        for (HttpConnection connection : late) {
            watches.remove(connection);
            connection.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        loops.values().forEach(loop -> vertx.cancelTimer(loop.sweeper));
    }
}
