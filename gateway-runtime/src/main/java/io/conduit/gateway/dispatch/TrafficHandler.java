package io.conduit.gateway.dispatch;

import io.conduit.config.ConfigJson;
import io.conduit.gateway.config.ActiveConfig;
import io.conduit.gateway.config.LiveConfig;
import io.conduit.gateway.edge.EdgeGuard;
import io.conduit.gateway.edge.RequestIds;
import io.conduit.gateway.edge.Responses;
import io.conduit.gateway.edge.auth.AuthRefused;
import io.conduit.gateway.edge.auth.Caller;
import io.conduit.gateway.edge.cors.CorsPolicy;
import io.conduit.gateway.edge.limits.BodyProgress;
import io.conduit.gateway.edge.limits.HeaderDeadline;
import io.conduit.gateway.edge.limits.RateLimitRefused;
import io.conduit.gateway.edge.logging.Exchange;
import io.conduit.gateway.edge.logging.Telemetry;
import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import io.conduit.gateway.ingest.BuiltinEndpoints;
import io.conduit.gateway.ingest.LoopTimer;
import io.conduit.gateway.ingest.RuleHandler;
import io.conduit.gateway.replay.RequestRecorder;
import io.conduit.gateway.routing.RouteMatch;
import io.conduit.gateway.ws.WebSocketIngest;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicBoolean;

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
    private final EdgeGuard guard;
    private volatile boolean draining;

    /** {@code guard} is the one that compiles {@code active}'s edge policies (it holds their shared state). */
    public TrafficHandler(Vertx vertx, ActiveConfig active, EdgeGuard guard, Telemetry telemetry, RequestRecorder recorder) {
        this.vertx = vertx;
        this.active = active;
        this.telemetry = telemetry;
        this.recorder = recorder;
        this.rules = new RuleHandler(vertx);
        this.guard = guard;
        this.webSockets = new WebSocketIngest(rules, guard, this::countRefusal);
    }

    public boolean draining() {
        return draining;
    }

    private volatile HeaderDeadline headerDeadline;

    /** Closes connections that trickle their request heads (slowloris). */
    public void headerDeadline(HeaderDeadline deadline) {
        this.headerDeadline = deadline;
    }

    /** Releases what the edge policies hold (the global rate limits' Redis connection). */
    public void closeGuard() {
        guard.close();
    }

    /** After this, /readyz answers 503 so load balancers stop sending traffic. */
    public void startDraining() {
        draining = true;
        webSockets.startDraining();
    }

    @Override
    public void handle(HttpServerRequest request) {
        request.pause();
        if (headerDeadline != null) {
            headerDeadline.headersArrived(request);
        }
        RequestIds.assign(request);
        String path = request.path();
        if (path.equals("/healthz")) {
            Responses.json(request, 200, ConfigJson.MAPPER.createObjectNode().put("status", "ok"));
            return;
        }
        if (path.equals("/readyz")) {
            LiveConfig live = active.peek();
            if (live == null || draining) {
                Responses.error(request, ErrorCode.NOT_READY, draining ? "shutting down" : "no valid config loaded");
            } else {
                Responses.json(request, 200, ConfigJson.MAPPER.createObjectNode()
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
        LiveConfig live = active.acquireOrRefuse(request);
        if (live == null) {
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
                countRefusal(ar.cause(), exchange);
                Responses.error(request, ar.cause());
            }
            if (request.response().ended() || request.response().closed()) {
                live.release();
                exchange.finish();
            } else {
                AtomicBoolean once = new AtomicBoolean();
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
        LoopTimer[] timer = new LoopTimer[1];
        timer[0] = LoopTimer.every(vertx, timeoutMillis, () -> {
            if (request.response().ended() || request.response().closed() || request.isEnded()) {
                timer[0].cancel();
                return;
            }
            if (progress.bytes() - seen[0] < minimum) {
                timer[0].cancel();
                progress.cancel(new GatewayException(ErrorCode.REQUEST_TIMEOUT,
                        "the request body arrived too slowly (less than " + MIN_BODY_BYTES_PER_SECOND
                                + " bytes/s over " + timeoutMillis + " ms)"));
                return;
            }
            seen[0] = progress.bytes();
        });
        request.response().endHandler(v -> timer[0].cancel());
    }

    private Future<Void> dispatch(HttpServerRequest request, LiveConfig live, Exchange exchange) {
        boolean builtin = BuiltinEndpoints.owns(request.path());
        if (guard.cors(request, live.edge(), builtin || served(request, live))) {
            return Future.succeededFuture();
        }
        Caller caller = guard.identify(request, live.edge());
        exchange.tenant(caller.tenant());
        if (builtin) {
            return guard.admit(request, live.edge(), null, caller).compose(a -> BuiltinEndpoints.handle(request, live,
                    (kind, backend) -> guard.authorizeRead(live.edge(), live.routes().routes(), caller, kind, backend)));
        }
        RouteMatch match = live.routes().match(request.method().name(), request.path(),
                request.getHeader(HttpHeaders.CONTENT_TYPE), request.headers(), caller.tenant());
        return switch (match) {
            case RouteMatch.Found found -> {
                exchange.rule(found.route().id());
                yield guard.admit(request, live.edge(), found.route(), caller).compose(admission -> {
                    BodyProgress progress = new BodyProgress();
                    recorder.maybeRecord(exchange, live.config().edge().recording(), found.route(), progress);
                    watchBodyProgress(request, progress, live.config().edge().limits().requestTimeoutMillis());
                    // The quota's slot frees as the answer goes out, so a client that read it may start the next
                    // upload at once; the completion covers requests that end without an answer (a dropped connection).
                    request.response().headersEndHandler(v -> admission.finish(progress.bytes()));
                    return rules.handle(request, exchange, live, found, progress)
                            .onComplete(ar -> admission.finish(progress.bytes()));
                });
            }
            // Unmatched requests need a token too: without one, nobody learns which paths exist.
            case RouteMatch.MethodNotAllowed m -> guard.admit(request, live.edge(), null, caller).compose(a -> {
                request.response().putHeader(HttpHeaders.ALLOW, String.join(", ", m.allowed()));
                return Future.failedFuture(new GatewayException(ErrorCode.METHOD_NOT_ALLOWED,
                        request.method().name() + " is not allowed on " + request.path() + "; allowed: "
                                + String.join(", ", m.allowed())));
            });
            case RouteMatch.UnsupportedMediaType u -> guard.admit(request, live.edge(), null, caller).compose(a -> Future.failedFuture(
                    new GatewayException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "content type "
                            + request.getHeader(HttpHeaders.CONTENT_TYPE) + " is not accepted on " + request.path()
                            + "; accepted: " + String.join(", ", u.accepted()))));
            case RouteMatch.NotFound n -> guard.admit(request, live.edge(), null, caller).compose(a -> Future.failedFuture(
                    new GatewayException(ErrorCode.NOT_FOUND, "no route for " + request.method().name() + " " + request.path())));
        };
    }

    /**
     * Auth failures and rate-limit rejections are metrics of their own: the status alone says neither a
     * missing token from a wrong one, nor which limit refused.
     */
    private void countRefusal(Throwable failure, Exchange exchange) {
        if (failure instanceof AuthRefused refused) {
            telemetry.metrics().authFailure(refused.reason());
        } else if (failure instanceof RateLimitRefused refused) {
            telemetry.metrics().rateLimited(refused.limit(), exchange.tenant());
        }
    }

    /** Whether some rule serves the path, for the method a CORS preflight asks about. */
    private static boolean served(HttpServerRequest request, LiveConfig live) {
        if (!CorsPolicy.isPreflight(request)) {
            return false;
        }
        String wanted = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD).trim();
        // A preflight carries no token, so any tenant's rule on the path counts as serving it.
        return live.routes().serves(wanted, request.path());
    }
}
