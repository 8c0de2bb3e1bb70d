package io.conduit.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.config.EdgeConfig;
import io.conduit.config.GatewayConfig;
import io.conduit.config.RouteConfig;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServedRulesTest {
    static GatewayConfig config(String revision, long generation) {
        RouteConfig route = new RouteConfig("shop/r", generation, null, null, null, null, null);
        return new GatewayConfig(revision, "shop/edge", List.of(), List.of(), List.of(route), EdgeConfig.DEFAULTS);
    }

    @Test
    void aGenerationIsProgrammedOnceEveryReadyPodAcknowledgedARevisionHoldingIt() {
        ServedRules served = new ServedRules();
        assertThat(served.state("shop/edge", "shop/r", 1)).isEqualTo(ServedRules.State.UNKNOWN_GATEWAY);
        served.update("shop/edge", config("a", 1), List.of());
        assertThat(served.state("shop/edge", "shop/r", 1)).isEqualTo(ServedRules.State.NO_READY_PODS);
        served.update("shop/edge", config("a", 1), Arrays.asList("a", null));
        assertThat(served.state("shop/edge", "shop/r", 1)).isEqualTo(ServedRules.State.PENDING);
        assertThat(served.progress("shop/edge", "shop/r", 1)).isEqualTo("1 of 2 ready pods");
        served.update("shop/edge", config("a", 1), List.of("a", "a"));
        assertThat(served.state("shop/edge", "shop/r", 1)).isEqualTo(ServedRules.State.PROGRAMMED);
        // Generation 2 rendered as revision b: pods still on a hold generation 1 only.
        served.update("shop/edge", config("b", 2), List.of("a", "b"));
        assertThat(served.state("shop/edge", "shop/r", 2)).isEqualTo(ServedRules.State.PENDING);
        served.update("shop/edge", config("b", 2), List.of("b", "b"));
        assertThat(served.state("shop/edge", "shop/r", 2)).isEqualTo(ServedRules.State.PROGRAMMED);
    }
}
