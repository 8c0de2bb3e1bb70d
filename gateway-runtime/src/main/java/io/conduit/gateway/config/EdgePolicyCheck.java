package io.conduit.gateway.config;

import io.conduit.config.EdgeConfig;
import io.conduit.config.GatewayConfig;
import io.conduit.config.GatewayCredentials;
import io.conduit.gateway.edge.EdgeGuard;
import io.conduit.gateway.edge.auth.Tokens;
import io.conduit.gateway.edge.limits.ClientIp;
import java.util.ArrayList;
import java.util.List;

/**
 * What keeps a config's edge policies from being enforced, found before it serves: a gateway that
 * declares auth but holds no token would refuse everyone, and a global rate limit without a Redis
 * would silently be local.
 */
final class EdgePolicyCheck {
    private EdgePolicyCheck() {
    }

    static List<ConfigProblem> problems(GatewayConfig config, GatewayCredentials credentials) {
        List<ConfigProblem> problems = new ArrayList<>();
        String gateway = "EdgeGateway " + config.gateway();
        EdgeConfig edge = config.edge();
        if (edge.auth() != null && Tokens.of(credentials.get(edge.auth().credentialsKey())).size() == 0) {
            problems.add(new ConfigProblem(null, gateway, "Invalid",
                    "auth: the tokens Secret holds no token (each key a tenant, each value its token)"));
        }
        if (edge.rateLimits().stream().anyMatch(EdgeConfig.RateLimit::global) && EdgeGuard.redisBackend(config).isEmpty()) {
            problems.add(new ConfigProblem(null, gateway, "Invalid",
                    "rateLimits: a global limit shares its bucket through Redis, but no rule of this gateway uses a "
                            + "Redis QueueBackend"));
        }
        try {
            new ClientIp(edge.trustedProxies());
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem(null, gateway, "Invalid", e.getMessage()));
        }
        return problems;
    }
}
