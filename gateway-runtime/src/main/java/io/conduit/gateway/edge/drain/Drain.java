package io.conduit.gateway.edge.drain;

import io.conduit.gateway.edge.logging.EventLog;
import io.conduit.gateway.edge.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.List;

/**
 * Graceful stop of the traffic port: stop accepting connections, let every request in flight
 * (uploads included) finish within the grace period, and only then let the caller close the
 * backends. Keep-alive connections are closed after the request they carry; HTTP/2 gets GOAWAY.
 * Logged as two JSON lines ({@code type: drain}, phases start and done).
 */
public final class Drain {
    private static final long POLL_MILLIS = 50;

    private Drain() {
    }

    /** Completes when nothing is in flight any more, or when {@code grace} has passed; never fails. */
    public static Future<Void> run(Vertx vertx, List<HttpServer> servers, Metrics metrics, EventLog log, Duration grace) {
        long start = System.nanoTime();
        long deadline = start + grace.toNanos();
        log.write(EventLog.event("drain").put("phase", "start").put("inFlight", metrics.requestsInFlight())
                .put("graceMs", grace.toMillis()));
        Future<Void> closed = Future.join(servers.stream()
                        .map(server -> server.shutdown(grace).recover(e -> Future.succeededFuture()))
                        .toList())
                .<Void>mapEmpty()
                .recover(e -> Future.succeededFuture());
        return closed.compose(v -> untilIdle(vertx, metrics, deadline)).onComplete(ar -> log.write(EventLog.event("drain")
                .put("phase", "done")
                .put("inFlight", metrics.requestsInFlight())
                .put("durationMs", (System.nanoTime() - start) / 1_000_000)));
    }

    /** Responses may still be finishing after their connections were told to close: wait for the count. */
    private static Future<Void> untilIdle(Vertx vertx, Metrics metrics, long deadline) {
        Promise<Void> idle = Promise.promise();
        if (metrics.requestsInFlight() <= 0 || System.nanoTime() >= deadline) {
            idle.complete();
            return idle.future();
        }
        vertx.setPeriodic(POLL_MILLIS, id -> {
            if (metrics.requestsInFlight() <= 0 || System.nanoTime() >= deadline) {
                vertx.cancelTimer(id);
                idle.tryComplete();
            }
        });
        return idle.future();
    }
}
