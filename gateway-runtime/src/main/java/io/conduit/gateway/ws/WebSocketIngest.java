package io.conduit.gateway.ws;

import io.conduit.gateway.config.ActiveConfig;
import io.conduit.gateway.config.LiveConfig;
import io.conduit.gateway.edge.EdgeGuard;
import io.conduit.gateway.edge.Responses;
import io.conduit.gateway.edge.auth.Caller;
import io.conduit.gateway.edge.logging.EventLog;
import io.conduit.gateway.edge.logging.Exchange;
import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import io.conduit.gateway.ingest.RuleHandler;
import io.conduit.gateway.routing.RouteMatch;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Takes WebSocket upgrades for rules with {@code when.ws}: finds the rule, upgrades, and runs one
 * {@link WebSocketSession} per connection. The upgrade passes the edge policies like any request
 * (identify, match among the shared rules and the caller's tenant's own, then authorize and limit),
 * so an upgrade to an unknown path needs a token before it learns 404, and a refusal is an HTTP
 * 401/403/429 before any upgrade; the caller's tenant stays with the connection, and each message is admitted again against the rate limits and tenant quotas.
 */
public final class WebSocketIngest {
    private final RuleHandler rules;
    private final EdgeGuard guard;
    private final BiConsumer<Throwable, Exchange> refused;
    private final Set<WebSocketSession> open = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    /** {@code refused} counts a refusal (auth failure, rate limit) in the metrics. */
    public WebSocketIngest(RuleHandler rules, EdgeGuard guard, BiConsumer<Throwable, Exchange> refused) {
        this.rules = rules;
        this.guard = guard;
        this.refused = refused;
    }

    public void handle(HttpServerRequest request, Exchange exchange, ActiveConfig active) {
        if (draining) {
            Responses.error(request, ErrorCode.NOT_READY, "shutting down");
            exchange.finish();
            return;
        }
        LiveConfig live = active.acquireOrRefuse(request);
        if (live == null) {
            exchange.finish();
            return;
        }
        Context context = Vertx.currentContext();
        Caller[] caller = {Caller.ANONYMOUS};
        Optional<RouteMatch.Found> found = Optional.empty();
        Future<EdgeGuard.Admission> admitted;
        try {
            // Who first, then which rule, as for HTTP: a tenant's rule is only found with its token, and an
            // unknown path without a token is a 401 like any other, so upgrades cannot map the routes.
            caller[0] = guard.identify(request, live.edge());
            exchange.tenant(caller[0].tenant());
            found = live.routes().matchWebSocket(request.path(), caller[0].tenant());
            found.ifPresent(f -> exchange.rule(f.route().id()));
            admitted = guard.admit(request, live.edge(), found.map(RouteMatch.Found::route).orElse(null), caller[0]);
        } catch (RuntimeException e) {
            admitted = Future.failedFuture(e);
        }
        Optional<RouteMatch.Found> rule = found;
        if (rule.isEmpty()) {
            admitted = admitted.compose(a -> {
                a.finish(0);
                return Future.failedFuture(new GatewayException(ErrorCode.NOT_FOUND, "no WebSocket route for " + request.path()));
            });
        }
        // Global rate limits answer on the Redis client's thread: the upgrade belongs to the request's own.
        admitted.onComplete(ar -> context.runOnContext(v -> {
            if (ar.failed()) {
                refused.accept(ar.cause(), exchange);
                live.release();
                Responses.error(request, ar.cause());
                exchange.finish();
                return;
            }
            // The upgrade itself was one request; each message is admitted (and its bytes counted) on its own.
            ar.result().finish(0);
            upgrade(request, exchange, live, rule.get(), caller[0]);
        }));
    }

    private void upgrade(HttpServerRequest request, Exchange exchange, LiveConfig live, RouteMatch.Found found, Caller caller) {
        request.toWebSocket().onComplete(ar -> {
            if (ar.failed()) {
                live.release();
                exchange.telemetry().log().write(EventLog.event("ws.close").put("requestId", exchange.requestId())
                        .put("rule", exchange.rule()).put("reason", "upgrade failed: " + ar.cause().getMessage()));
                exchange.finish();
                return;
            }
            exchange.upgraded();
            WebSocketSession session = new WebSocketSession(request, ar.result(), exchange, live, found, rules,
                    new WebSocketSession.Admit(guard, caller, e -> refused.accept(e, exchange)));
            open.add(session);
            session.start(() -> {
                open.remove(session);
                live.release();
            });
        });
    }

    /** Shutdown: no new connections; open ones finish the message in hand and close with 1001 (going away). */
    public void startDraining() {
        draining = true;
        open.forEach(WebSocketSession::goAway);
    }
}
