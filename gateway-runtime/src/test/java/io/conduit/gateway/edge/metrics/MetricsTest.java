package io.conduit.gateway.edge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The facade's policy counters and gauges as Prometheus text (the request path is covered by ObservabilityIT). */
class MetricsTest {
    final Metrics metrics = new Metrics();

    @Test
    void rateLimitAndAuthCountersCarryTheirLabels() {
        metrics.rateLimited("per-token", "acme");
        metrics.rateLimited("per-token", "acme");
        metrics.rateLimited("per-ip", null);
        metrics.authFailure("missing");
        String text = metrics.scrape();
        assertThat(text).contains("conduit_rate_limit_rejections_total{limit=\"per-token\",tenant=\"acme\"} 2.0")
                .contains("conduit_rate_limit_rejections_total{limit=\"per-ip\",tenant=\"-\"} 1.0")
                .contains("conduit_auth_failures_total{reason=\"missing\"} 1.0")
                .contains("# TYPE conduit_rate_limit_rejections_total counter");
    }

    @Test
    void theRevisionGaugeHoldsOnlyTheCurrentRevision() {
        metrics.activeRevision("aaa");
        metrics.activeRevision("bbb");
        String text = metrics.scrape();
        assertThat(text).containsPattern("\nconduit_config_info\\{revision=\"bbb\"} 1(\\.0)?\n")
                .doesNotContain("revision=\"aaa\"");
    }

    @Test
    void webSocketConnectionsGoUpAndDown() {
        metrics.webSocketOpened();
        metrics.webSocketOpened();
        metrics.webSocketClosed();
        assertThat(metrics.scrape()).containsPattern("\nconduit_websocket_connections 1(\\.0)?\n")
                .contains("# HELP conduit_websocket_connections Open WebSocket connections");
    }
}
