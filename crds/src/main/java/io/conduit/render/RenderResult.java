package io.conduit.render;

import io.conduit.config.GatewayConfig;
import io.conduit.config.GatewayCredentials;
import java.util.List;

/**
 * A rendered gateway: the config (served rules only), its credentials, every problem found, and a
 * verdict per rule attached to the gateway.
 */
public record RenderResult(GatewayConfig config, GatewayCredentials credentials, List<Problem> problems,
                           List<RuleVerdict> rules) {
    public RenderResult {
        problems = List.copyOf(problems);
        rules = List.copyOf(rules);
    }

    public boolean clean() {
        return problems.isEmpty();
    }
}
