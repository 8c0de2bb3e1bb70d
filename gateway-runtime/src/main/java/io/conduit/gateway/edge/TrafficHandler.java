package io.conduit.gateway.edge;

import io.conduit.gateway.config.ActiveConfig;
import io.conduit.gateway.config.LiveConfig;
import io.conduit.gateway.edge.logging.Exchange;
import io.conduit.gateway.edge.logging.Telemetry;
import io.conduit.gateway.ingest.BodyProgress;
import io.conduit.gateway.ingest.BuiltinEndpoints;
import io.conduit.gateway.ingest.RuleHandler;
import io.conduit.gateway.replay.RequestRecorder;
import io.conduit.gateway.routing.RouteMatch;
import io.conduit.gateway.ws.WebSocketIngest;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * The front door of the traffic port. Every request gets an id, then: health endpoints, built-in
 * read endpoints, or the route table of the config it starts on (held until it ends).
 */
public final class TrafficHandler implements Handler<HttpServerRequest> {
    private final Vertx vertx;
    private final ActiveConfig active;
    private final RuleHandler rules;
    private final Telemetry telemetry;
    private final WebSocketIngest webSockets;
    private final RequestRecorder recorder;
    private volatile boolean draining;

    public TrafficHandler(Vertx vertx, ActiveConfig active, Telemetry telemetry, RequestRecorder recorder) {
        this.vertx = vertx;
        this.active = active;
        this.telemetry = telemetry;
        this.recorder = recorder;
        this.rules = new RuleHandler(vertx);
        this.webSockets = new WebSocketIngest(rules);
    }

    public boolean draining() {
        return draining;
    }

    /** After this, /readyz answers 503 so load balancers stop sending traffic. */
    public void startDraining() {
        draining = true;
        webSockets.startDraining();
    }

    @Override
    public void handle(HttpServerRequest request) {
        request.pause();
        RequestIds.assign(request);
        String path = request.path();
        if (path.equals("/healthz")) {
            Responses.json(request, 200, io.conduit.config.ConfigJson.MAPPER.createObjectNode().put("status", "ok"));
            return;
        }
        if (path.equals("/readyz")) {
            LiveConfig live = active.peek();
            if (live == null || draining) {
                Responses.error(request, ErrorCode.NOT_READY, draining ? "shutting down" : "no valid config loaded");
            } else {
                Responses.json(request, 200, io.conduit.config.ConfigJson.MAPPER.createObjectNode()
                        .put("status", "ready").put("revision", live.revision()));
            }
            return;
        }
        // Probes are not traffic: they get neither a log line nor a metric.
        Exchange exchange = telemetry.begin(request, RequestIds.of(request));
        if (request.canUpgradeToWebSocket()) {
            webSockets.handle(request, exchange, active);
            return;
        }
        LiveConfig live = active.acquire();
        if (live == null) {
            Responses.error(request, ErrorCode.NOT_READY, "no valid config loaded yet");
            exchange.finish();
            return;
        }
        Future<Void> done;
        try {
            done = dispatch(request, live, exchange);
        } catch (RuntimeException e) {
            done = Future.failedFuture(e);
        }
        done.onComplete(ar -> {
            if (ar.failed()) {
                Responses.error(request, ar.cause());
            }
            if (request.response().ended() || request.response().closed()) {
                live.release();
                exchange.finish();
            } else {
                java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
                Runnable release = () -> {
                    if (once.compareAndSet(false, true)) {
                        live.release();
                        exchange.finish();
                    }
                };
                request.response().endHandler(v -> release.run());
                request.response().closeHandler(v -> release.run());
            }
        });
    }

    /** Bytes per second a body must at least average over each request-timeout period. */
    static final long MIN_BODY_BYTES_PER_SECOND = 1024;

    /**
     * Answers 408 when a body stalls: checked once per requestTimeout, a body that moved less than
     * the minimum rate in that period is cut off. Once the body is in, the backend phase is bounded
     * by the retry deadline instead.
     */
    private void watchBodyProgress(HttpServerRequest request, BodyProgress progress, long timeoutMillis) {
        long[] seen = {0};
        long minimum = Math.max(1, MIN_BODY_BYTES_PER_SECOND * timeoutMillis / 1000);
        long timer = vertx.setPeriodic(timeoutMillis, id -> {
            if (request.response().ended() || request.response().closed() || request.isEnded()) {
                vertx.cancelTimer(id);
                return;
            }
            if (progress.bytes() - seen[0] < minimum) {
                vertx.cancelTimer(id);
                progress.cancel(new GatewayException(ErrorCode.REQUEST_TIMEOUT,
                        "the request body arrived too slowly (less than " + MIN_BODY_BYTES_PER_SECOND
                                + " bytes/s over " + timeoutMillis + " ms)"));
                return;
            }
            seen[0] = progress.bytes();
        });
        request.response().endHandler(v -> vertx.cancelTimer(timer));
    }

    private Future<Void> dispatch(HttpServerRequest request, LiveConfig live, Exchange exchange) {
        if (BuiltinEndpoints.owns(request.path())) {
            return BuiltinEndpoints.handle(request, live);
        }
        RouteMatch match = live.routes().match(request.method().name(), request.path(),
                request.getHeader(HttpHeaders.CONTENT_TYPE), request.headers());
        return switch (match) {
            case RouteMatch.Found found -> {
                exchange.rule(found.route().id());
                BodyProgress progress = new BodyProgress();
                recorder.maybeRecord(exchange, live.config().edge().recording(), found.route(), progress);
                watchBodyProgress(request, progress, live.config().edge().limits().requestTimeoutMillis());
                yield rules.handle(request, exchange, live, found, progress);
            }
            case RouteMatch.MethodNotAllowed m -> {
                request.response().putHeader(HttpHeaders.ALLOW, String.join(", ", m.allowed()));
                yield Future.failedFuture(new GatewayException(ErrorCode.METHOD_NOT_ALLOWED,
                        request.method().name() + " is not allowed on " + request.path() + "; allowed: "
                                + String.join(", ", m.allowed())));
            }
            case RouteMatch.UnsupportedMediaType u -> Future.failedFuture(new GatewayException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE, "content type " + request.getHeader(HttpHeaders.CONTENT_TYPE)
                    + " is not accepted on " + request.path() + "; accepted: " + String.join(", ", u.accepted())));
            case RouteMatch.NotFound n -> Future.failedFuture(new GatewayException(ErrorCode.NOT_FOUND,
                    "no route for " + request.method().name() + " " + request.path()));
        };
    }
}
