package io.conduit.operator.gateway;

import io.conduit.config.GatewayConfig;
import java.util.List;

/** {@link ServedRules} after two push rounds, for tests outside this package. */
public final class ServedRulesFixture {
    private ServedRulesFixture() {
    }

    /** Pods acknowledged {@code firstPods} of {@code first}, then {@code nextPods} after {@code next} was rendered. */
    public static ServedRules after(String gateway, GatewayConfig first, List<String> firstPods,
                                    GatewayConfig next, List<String> nextPods) {
        ServedRules served = new ServedRules();
        served.update(gateway, first, firstPods);
        served.update(gateway, next, nextPods);
        return served;
    }
}
