package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The labels of the refusal metrics, as docs/observability.md states them: auth failures by
 * {@code reason} (missing, invalid, forbidden) and 429s by the {@code limit} that refused them (the
 * rate limit's name, or the tenant quota's field), never by the rule the request was for.
 */
class RefusalMetricsIT {
    static final String CONFIG = """
            apiVersion: v1
            kind: Secret
            metadata: {name: edge-tokens}
            stringData: {acme: tok-acme, globex: tok-globex, initech: tok-initech}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: EdgeGateway
            metadata: {name: edge}
            spec:
              auth:
                tokensSecretRef: {name: edge-tokens}
                tenants:
                  - {name: acme, requestsPerSecond: 1, burst: 1}
                  - {name: globex, ruleRefs: [{name: reports}]}
              rateLimits: [{name: reports-per-route, key: route, requestsPerSecond: 1, burst: 1, ruleRefs: [{name: reports}]}]
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: orders}
            spec:
              when: {http: {method: POST, path: /orders}}
              send: {queue: {backendRef: {name: queues}, queue: orders}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: reports}
            spec:
              when: {http: {method: POST, path: /reports}}
              send: {queue: {backendRef: {name: queues}, queue: reports}}
            """;

    @TempDir
    Path root;

    @Test
    void refusalsAreCountedByReasonAndByTheLimitThatRefused() throws Exception {
        try (GatewayHarness gw = GatewayHarness.start(root, CONFIG)) {
            assertThat(post(gw, "/orders").statusCode()).isEqualTo(401);
            assertThat(post(gw, "/orders", "X-Token", "tok-nobody").statusCode()).isEqualTo(401);
            assertThat(post(gw, "/orders", "X-Token", "tok-nobody").statusCode()).isEqualTo(401);
            assertThat(post(gw, "/orders", "X-Token", "tok-globex").statusCode()).isEqualTo(403);
            assertThat(post(gw, "/orders", "X-Token", "tok-acme").statusCode()).isEqualTo(202);
            assertThat(post(gw, "/orders", "X-Token", "tok-acme").statusCode()).isEqualTo(429);
            assertThat(post(gw, "/reports", "X-Token", "tok-initech").statusCode()).isEqualTo(202);
            assertThat(post(gw, "/reports", "X-Token", "tok-initech").statusCode()).isEqualTo(429);

            PrometheusText m = PrometheusText.parse(gw.send(HttpRequest.newBuilder(gw.admin("/metrics")).build()).body());
            assertThat(series(m, "conduit_auth_failures_total")).isEqualTo(Map.of(
                    "conduit_auth_failures_total{reason=\"forbidden\"}", 1.0,
                    "conduit_auth_failures_total{reason=\"invalid\"}", 2.0,
                    "conduit_auth_failures_total{reason=\"missing\"}", 1.0));
            assertThat(series(m, "conduit_rate_limit_rejections_total")).isEqualTo(Map.of(
                    "conduit_rate_limit_rejections_total{limit=\"quota:requestsPerSecond\",tenant=\"acme\"}", 1.0,
                    "conduit_rate_limit_rejections_total{limit=\"reports-per-route\",tenant=\"initech\"}", 1.0));
        }
    }

    static Map<String, Double> series(PrometheusText m, String name) {
        return m.samples.entrySet().stream().filter(e -> e.getKey().startsWith(name + "{"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    static HttpResponse<String> post(GatewayHarness gw, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gw.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return gw.send(request.build());
    }
}
