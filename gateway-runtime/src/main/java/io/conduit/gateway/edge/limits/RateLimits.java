package io.conduit.gateway.edge.limits;

import io.conduit.config.EdgeConfig;
import io.conduit.gateway.edge.auth.Caller;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's rate limits for one config: each takes a token from the bucket of the request's key
 * (its token, tenant, client IP or route); local buckets by default, Redis buckets for {@code global}
 * limits. The tightest answer goes into the {@code RateLimit-*} headers; any refusal is a 429.
 */
public final class RateLimits {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);

    private final String gateway;
    private final List<EdgeConfig.RateLimit> limits;
    private final ClientIp clientIp;
    private final LocalBuckets local;
    private final RedisBuckets global;

    /** {@code global} may be null when no limit is global. */
    public RateLimits(String gateway, List<EdgeConfig.RateLimit> limits, ClientIp clientIp, LocalBuckets local,
                      RedisBuckets global) {
        this.gateway = gateway;
        this.limits = List.copyOf(limits);
        this.clientIp = clientIp;
        this.local = local;
        this.global = global;
    }

    public boolean isEmpty() {
        return limits.isEmpty();
    }

    /** Succeeds when every limit lets the request pass; fails with 429 otherwise. */
    public Future<Void> check(HttpServerRequest request, Caller caller, String routeId) {
        return tightest(request, caller, routeId).compose(tightest -> {
            if (tightest == null) {
                return Future.succeededFuture();
            }
            Decision d = tightest.decision();
            HttpServerResponse response = request.response();
            response.putHeader("RateLimit-Limit", Long.toString(d.limit()))
                    .putHeader("RateLimit-Remaining", Long.toString(d.remaining()))
                    .putHeader("RateLimit-Reset", Long.toString(d.resetSeconds()));
            return refuseIfOver(tightest);
        });
    }

    /**
     * The same check for one message of an upgraded WebSocket connection: keyed like its upgrade request,
     * but with no response head left to carry the {@code RateLimit-*} headers.
     */
    public Future<Void> checkMessage(HttpServerRequest upgrade, Caller caller, String routeId) {
        return tightest(upgrade, caller, routeId).compose(t -> t == null ? Future.succeededFuture() : refuseIfOver(t));
    }

    /** A bucket's answer and the limit it belongs to, which a refusal names in the metrics. */
    private record Named(String limit, Decision decision) {
        Named tighter(Named other) {
            return other == null || decision.tighter(other.decision) == decision ? this : other;
        }
    }

    private static Future<Void> refuseIfOver(Named tightest) {
        Decision d = tightest.decision();
        if (!d.allowed()) {
            return Future.failedFuture(new RateLimitRefused(tightest.limit(),
                    "rate limit exceeded; retry after " + d.retryAfterSeconds() + " s", (int) d.retryAfterSeconds()));
        }
        return Future.succeededFuture();
    }

    /** Takes a token from every applicable bucket; the tightest answer, or null when no limit applies. */
    private Future<Named> tightest(HttpServerRequest request, Caller caller, String routeId) {
        List<Future<Named>> decisions = new ArrayList<>();
        for (EdgeConfig.RateLimit limit : limits) {
            String key = limit.appliesTo(routeId) ? key(limit, request, caller, routeId) : null;
            if (key == null) {
                continue;
            }
            String bucket = limit.name() + ":" + key;
            if (limit.global() && global != null) {
                decisions.add(global.take("conduit:ratelimit:" + gateway + ":" + bucket, limit.requestsPerSecond(), limit.burst())
                        .recover(e -> {
                            // Redis gone: each replica still holds the line on its own rather than letting everyone through.
                            LOG.warn("global rate limit {} falls back to this replica's bucket: {}", limit.name(), e.toString());
                            return Future.succeededFuture(local.take(bucket, limit.requestsPerSecond(), limit.burst()));
                        }).map(d -> new Named(limit.name(), d)));
            } else {
                decisions.add(Future.succeededFuture(new Named(limit.name(),
                        local.take(bucket, limit.requestsPerSecond(), limit.burst()))));
            }
        }
        if (decisions.isEmpty()) {
            return Future.succeededFuture();
        }
        return Future.all(decisions).map(all -> {
            Named tightest = null;
            for (Future<Named> d : decisions) {
                tightest = d.result().tighter(tightest);
            }
            return tightest;
        });
    }

    /** The bucket key; callers without a token are keyed by their address. Null: the limit does not apply. */
    private String key(EdgeConfig.RateLimit limit, HttpServerRequest request, Caller caller, String routeId) {
        return switch (limit.key()) {
            case TOKEN -> caller.anonymous() ? "ip:" + clientIp.of(request) : "token:" + caller.tokenId();
            case TENANT -> caller.anonymous() ? "ip:" + clientIp.of(request) : "tenant:" + caller.tenant();
            case IP -> "ip:" + clientIp.of(request);
            case ROUTE -> routeId == null ? null : "route:" + routeId;
        };
    }
}
