package io.conduit.gateway.edge;

import io.conduit.api.v1alpha1.QueueBackendSpec;
import io.conduit.config.EdgeConfig;
import io.conduit.config.GatewayConfig;
import io.conduit.config.GatewayCredentials;
import io.conduit.config.QueueBackendConfig;
import io.conduit.gateway.edge.auth.AuthPolicy;
import io.conduit.gateway.edge.auth.Caller;
import io.conduit.gateway.edge.auth.ReadScope;
import io.conduit.gateway.edge.cors.CorsPolicy;
import io.conduit.gateway.edge.limits.AuthThrottle;
import io.conduit.gateway.edge.limits.ClientIp;
import io.conduit.gateway.edge.limits.LocalBuckets;
import io.conduit.gateway.edge.limits.RateLimits;
import io.conduit.gateway.edge.limits.RedisBuckets;
import io.conduit.gateway.edge.limits.TenantUsage;
import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import io.conduit.gateway.redis.RedisConnection;
import io.conduit.gateway.routing.CompiledRoute;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The edge policies a request passes before its rule runs: CORS, then auth (who, within the client
 * address's budget of failed authentications, and may they call this rule), then tenant quotas and rate limits. Policies are
 * compiled once per config ({@link #compile}, as the config is built) and travel with it; bucket and usage state outlives
 * reloads.
 */
public final class EdgeGuard implements AutoCloseable {
    /** What a request was granted; {@link #finish} when it ended. */
    public record Admission(Caller caller, TenantUsage.Ticket ticket) {
        public String tenant() {
            return caller.tenant();
        }

        public void finish(long bodyBytes) {
            if (ticket != null) {
                ticket.finish(bodyBytes);
            }
        }
    }

    private final Vertx vertx;
    private final LocalBuckets localBuckets = new LocalBuckets();
    private final TenantUsage usage = new TenantUsage();
    private final AuthThrottle authFailures = new AuthThrottle();
    private RedisKey redisKey;
    private RedisBuckets redis;

    private record RedisKey(QueueBackendConfig.Redis settings, Map<String, String> credentials) {
    }

    public EdgeGuard(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Answers a CORS preflight itself (true); otherwise adds the CORS headers the answer will carry. */
    public boolean cors(HttpServerRequest request, EdgePolicies p, boolean pathServed) {
        CorsPolicy cors = p.cors();
        if (cors == null || request.getHeader(HttpHeaders.ORIGIN) == null) {
            return false;
        }
        if (CorsPolicy.isPreflight(request) && pathServed) {
            cors.answerPreflight(request);
            return true;
        }
        cors.decorate(request);
        return false;
    }

    /**
     * Who is calling, before any rule is chosen (a tenant may have rules of its own): the tenant of a
     * presented token, or nobody. A token that is not ours is refused here (401); whether a token is
     * needed at all is decided by {@link #admit}, once the rule is known.
     */
    public Caller identify(HttpServerRequest request, EdgePolicies p) {
        Optional<AuthPolicy> auth = p.auth();
        if (auth.isEmpty()) {
            return Caller.ANONYMOUS;
        }
        if (auth.get().exempt(request.path())) {
            // A webhook sender's own Authorization is not ours to refuse; a token of ours still names its tenant.
            return auth.get().recognize(request).orElse(Caller.ANONYMOUS);
        }
        if (!auth.get().presentsToken(request)) {
            return Caller.ANONYMOUS;
        }
        return throttled(request, p, () -> auth.get().authenticate(request, false));
    }

    /**
     * Authenticates within the client address's budget of failures: a spent budget is 429 before the token
     * is looked at, and a 401 spends one more.
     */
    private Caller throttled(HttpServerRequest request, EdgePolicies p, Supplier<Caller> authenticate) {
        String ip = p.clientIp().of(request);
        authFailures.check(ip);
        try {
            return authenticate.get();
        } catch (GatewayException refused) {
            if (refused.code() == ErrorCode.UNAUTHORIZED) {
                authFailures.failed(ip);
            }
            throw refused;
        }
    }

    /**
     * Authorizes and limits a request of {@code caller}. {@code route} is null for built-in endpoints
     * and requests no rule matched: those need a token when the gateway declares auth, like any rule.
     */
    public Future<Admission> admit(HttpServerRequest request, EdgePolicies p, CompiledRoute route, Caller caller) {
        if (p.auth().isPresent() && !p.auth().get().exempt(request.path(), route == null ? null : route.config().match().path())) {
            AuthPolicy auth = p.auth().get();
            if (caller.anonymous() && (route == null || !route.config().isPublic())) {
                throttled(request, p, () -> auth.authenticate(request, true));
            }
            // A tenant's own rule is granted by being theirs, and by nothing else.
            if (route != null && route.config().tenant() != null && !route.servesTenant(caller.tenant())) {
                throw new GatewayException(ErrorCode.NOT_FOUND, "no route for " + request.path());
            }
            if (route != null && route.config().tenant() == null) {
                auth.authorize(caller, route.id());
            }
        }
        TenantUsage.Ticket ticket = null;
        EdgeConfig.Tenant quota = caller.anonymous() ? null : p.tenants().get(caller.tenant());
        if (quota != null) {
            ticket = usage.admit(quota, declaredLength(request), route != null && route.isBlob());
        }
        Admission admission = new Admission(caller, ticket);
        if (p.rateLimits().isEmpty()) {
            return Future.succeededFuture(admission);
        }
        return p.rateLimits().check(request, caller, route == null ? null : route.id())
                .map(v -> admission)
                .onFailure(e -> admission.finish(0));
    }

    /**
     * Refuses (403) a tenant a built-in read of {@code backend} that no rule it may call writes to
     * ({@link ReadScope}); without auth, or for anonymous callers that passed it, reads stay open.
     */
    public void authorizeRead(EdgePolicies p, List<CompiledRoute> routes, Caller caller, ReadScope.Kind kind, String backend) {
        Optional<AuthPolicy> auth = p.auth();
        if (auth.isPresent()) {
            ReadScope.check(auth.get(), routes, caller, kind, backend);
        }
    }

    /**
     * Admits one message of a WebSocket connection whose upgrade was admitted: it counts like a request
     * of {@code bytes} against the tenant's quotas and every rate limit (keyed like the upgrade).
     * Refusals are 429s for the message's error frame; the connection stays open.
     */
    public Future<Admission> admitMessage(HttpServerRequest upgrade, EdgePolicies p, CompiledRoute route, Caller caller,
                                          long bytes) {
        Admission admission;
        try {
            EdgeConfig.Tenant quota = caller.anonymous() ? null : p.tenants().get(caller.tenant());
            admission = new Admission(caller, quota == null ? null : usage.admit(quota, bytes, false));
        } catch (RuntimeException refused) {
            return Future.failedFuture(refused);
        }
        if (p.rateLimits().isEmpty()) {
            return Future.succeededFuture(admission);
        }
        return p.rateLimits().checkMessage(upgrade, caller, route.id())
                .map(v -> admission)
                .onFailure(e -> admission.finish(0));
    }

    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return length == null ? 0 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Compiles {@code config}'s edge policies, once, as the config is built (off the event loop); requests
     * then take them from the config they run on, with no lookup or lock of their own.
     */
    public EdgePolicies compile(GatewayConfig config, GatewayCredentials credentials) {
        EdgeConfig edge = config.edge();
        Optional<AuthPolicy> auth = AuthPolicy.of(edge.auth(), credentials);
        Map<String, EdgeConfig.Tenant> tenants = edge.auth() == null ? Map.of()
                : edge.auth().tenants().stream().collect(Collectors.toMap(EdgeConfig.Tenant::name, Function.identity()));
        RedisBuckets global = edge.rateLimits().stream().anyMatch(EdgeConfig.RateLimit::global) ? redis(config, credentials) : null;
        ClientIp clientIp = new ClientIp(edge.trustedProxies());
        RateLimits rateLimits = new RateLimits(config.gateway(), edge.rateLimits(), clientIp, localBuckets, global);
        return new EdgePolicies(auth, edge.cors() == null ? null : new CorsPolicy(edge.cors()), tenants, rateLimits, clientIp);
    }

    /**
     * The Redis that global buckets live in: the first Redis queue backend of the config (see
     * {@link #redisBackend}). One connection, kept while its settings and credentials stay the same.
     */
    private synchronized RedisBuckets redis(GatewayConfig config, GatewayCredentials credentials) {
        QueueBackendConfig backend = redisBackend(config).orElse(null);
        if (backend == null) {
            return null;
        }
        RedisKey key = new RedisKey(backend.redis(), credentials.get(backend.redis().credentialsKey()));
        if (!key.equals(redisKey)) {
            if (redis != null) {
                redis.close();
            }
            redis = new RedisBuckets(vertx, new RedisConnection(vertx, backend.redis(), key.credentials(), Duration.ofSeconds(1)));
            redisKey = key;
        }
        return redis;
    }

    /** The Redis queue backend global rate limits use: the first by name. */
    public static Optional<QueueBackendConfig> redisBackend(GatewayConfig config) {
        return config.queueBackends().stream()
                .filter(q -> q.type() == QueueBackendSpec.Type.REDIS)
                .sorted(Comparator.comparing(QueueBackendConfig::name))
                .findFirst();
    }

    @Override
    public synchronized void close() {
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }
}
