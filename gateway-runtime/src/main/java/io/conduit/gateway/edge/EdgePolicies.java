package io.conduit.gateway.edge;

import io.conduit.config.EdgeConfig;
import io.conduit.gateway.edge.auth.AuthPolicy;
import io.conduit.gateway.edge.cors.CorsPolicy;
import io.conduit.gateway.edge.limits.ClientIp;
import io.conduit.gateway.edge.limits.RateLimits;
import java.util.Map;
import java.util.Optional;

/**
 * One config's edge policies, compiled by {@link EdgeGuard#compile} as the config is built and held by the
 * live config; opaque outside {@code edge}: only the guard reads them.
 */
public final class EdgePolicies {
    private final Optional<AuthPolicy> auth;
    private final CorsPolicy cors;
    private final Map<String, EdgeConfig.Tenant> tenants;
    private final RateLimits rateLimits;
    private final ClientIp clientIp;

    EdgePolicies(Optional<AuthPolicy> auth, CorsPolicy cors, Map<String, EdgeConfig.Tenant> tenants, RateLimits rateLimits,
                 ClientIp clientIp) {
        this.auth = auth;
        this.cors = cors;
        this.tenants = tenants;
        this.rateLimits = rateLimits;
        this.clientIp = clientIp;
    }

    Optional<AuthPolicy> auth() {
        return auth;
    }

    CorsPolicy cors() {
        return cors;
    }

    Map<String, EdgeConfig.Tenant> tenants() {
        return tenants;
    }

    RateLimits rateLimits() {
        return rateLimits;
    }

    ClientIp clientIp() {
        return clientIp;
    }
}
