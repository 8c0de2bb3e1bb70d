package io.conduit.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.config.RouteConfig;
import org.junit.jupiter.api.Test;

/** Rules with {@code when.ws}: what renders, and what is refused with which message. */
class WebSocketRuleTest {
    private static final String QUEUES = """
            apiVersion: conduit.io/v1alpha1
            kind: QueueBackend
            metadata: {name: jobs, namespace: shop}
            spec:
              type: spool
              spool: {path: /data/spool}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: BlobBackend
            metadata: {name: files, namespace: shop}
            spec:
              type: local
              local: {path: /data/blobs}
            """;

    private final GatewayRenderer renderer = new GatewayRenderer();

    private RenderResult render(String when, String send) {
        return renderer.renderStandalone(Resources.parse(QUEUES, """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: events, namespace: shop}
                spec:
                  when: %s
                  send: %s
                """.formatted(when, send)), null);
    }

    @Test
    void aWebSocketRuleRendersWithItsLimitsAndDefaults() {
        RenderResult result = render("{ws: {path: \"/ws/{device}\", maxMessageSize: 64Ki, idleTimeout: 2m}}",
                "{queue: {backendRef: {name: jobs}, queue: events}}");
        assertThat(result.problems()).isEmpty();
        RouteConfig.Match match = result.config().routes().get(0).match();
        assertThat(match.method()).isEqualTo("GET");
        assertThat(match.path()).isEqualTo("/ws/{device}");
        assertThat(match.ws()).isEqualTo(new RouteConfig.WebSocket(64 * 1024, 120_000,
                RouteConfig.WebSocket.DEFAULT_PING_INTERVAL_MILLIS));
    }

    @Test
    void httpRulesHaveNoWebSocketPart() {
        RenderResult result = render("{http: {method: POST, path: /e}}", "{queue: {backendRef: {name: jobs}, queue: events}}");
        assertThat(result.config().routes().get(0).match().ws()).isNull();
    }

    @Test
    void aWebSocketRuleMustQueue() {
        assertThat(render("{ws: {path: /ws}}", "{blob: {backendRef: {name: files}}}").problems())
                .singleElement().satisfies(p -> assertThat(p.message()).contains("use send.queue"));
    }

    @Test
    void httpAndWsTogetherAreRefused() {
        assertThat(render("{http: {path: /a}, ws: {path: /ws}}", "{queue: {backendRef: {name: jobs}, queue: e}}").problems())
                .singleElement().satisfies(p -> assertThat(p.message()).contains("exactly one of when.http and when.ws"));
    }

    @Test
    void aRespondHasNoMeaningOnAWebSocket() {
        assertThat(render("{ws: {path: /ws}}", "{queue: {backendRef: {name: jobs}, queue: e}, respond: {http: {status: 200}}}")
                .problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("send.respond does not apply"));
    }
}
