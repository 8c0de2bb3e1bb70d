package io.conduit.gateway.ws;

import io.conduit.gateway.config.ActiveConfig;
import io.conduit.gateway.config.LiveConfig;
import io.conduit.gateway.edge.ErrorCode;
import io.conduit.gateway.edge.Responses;
import io.conduit.gateway.edge.logging.EventLog;
import io.conduit.gateway.edge.logging.Exchange;
import io.conduit.gateway.ingest.RuleHandler;
import io.conduit.gateway.routing.RouteMatch;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Takes WebSocket upgrades for rules with {@code when.ws}: finds the rule, upgrades, and runs one
 * {@link WebSocketSession} per connection. Upgrades to other paths get the usual 404 JSON error.
 */
public final class WebSocketIngest {
    private final RuleHandler rules;
    private final Set<WebSocketSession> open = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    public WebSocketIngest(RuleHandler rules) {
        this.rules = rules;
    }

    public void handle(HttpServerRequest request, Exchange exchange, ActiveConfig active) {
        if (draining) {
            Responses.error(request, ErrorCode.NOT_READY, "shutting down");
            exchange.finish();
            return;
        }
        LiveConfig live = active.acquire();
        if (live == null) {
            Responses.error(request, ErrorCode.NOT_READY, "no valid config loaded yet");
            exchange.finish();
            return;
        }
        Optional<RouteMatch.Found> found = live.routes().matchWebSocket(request.path());
        if (found.isEmpty()) {
            live.release();
            Responses.error(request, ErrorCode.NOT_FOUND, "no WebSocket route for " + request.path());
            exchange.finish();
            return;
        }
        exchange.rule(found.get().route().id());
        request.toWebSocket().onComplete(ar -> {
            if (ar.failed()) {
                live.release();
                exchange.telemetry().log().write(EventLog.event("ws.close").put("requestId", exchange.requestId())
                        .put("rule", exchange.rule()).put("reason", "upgrade failed: " + ar.cause().getMessage()));
                exchange.finish();
                return;
            }
            exchange.upgraded();
            WebSocketSession session = new WebSocketSession(request, ar.result(), exchange, live, found.get(), rules);
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
