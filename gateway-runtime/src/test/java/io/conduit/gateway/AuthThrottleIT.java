package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guessing tokens against a real gateway: each client address has a budget of failed authentications,
 * then gets 429 with Retry-After whatever token it sends, while other addresses are served as before.
 */
class AuthThrottleIT {
    static final String CONFIG = """
            apiVersion: v1
            kind: Secret
            metadata: {name: edge-tokens}
            stringData: {acme: tok-acme}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: EdgeGateway
            metadata: {name: edge}
            spec:
              auth: {tokensSecretRef: {name: edge-tokens}}
              trustedProxies: [127.0.0.1/32]
              rateLimits: [{name: per-ip, key: ip, requestsPerSecond: 1000}]
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
            metadata: {name: ping}
            spec:
              auth: None
              when: {http: {method: POST, path: /ping}}
              send: {queue: {backendRef: {name: queues}, queue: pings}}
            """;

    @TempDir
    Path root;
    GatewayHarness gw;

    @BeforeEach
    void start() throws Exception {
        gw = GatewayHarness.start(root, CONFIG);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    /** A POST to /orders from {@code clientIp} (through the trusted proxy 127.0.0.1), with a token or none. */
    HttpResponse<String> order(String clientIp, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gw.uri("/orders")).header("X-Forwarded-For", clientIp)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return gw.send(request.build());
    }

    @Test
    void anAddressThatSpentItsFailuresGets429WithRetryAfterEvenWithAValidToken() throws Exception {
        String guesser = "203.0.113.7";
        int unauthorized = 0;
        int status = 401;
        for (int i = 0; i < 60 && status == 401; i++) {
            status = order(guesser, i % 2 == 0 ? "guess-" + i : null).statusCode();
            unauthorized += status == 401 ? 1 : 0;
        }
        assertThat(status).as("wrong and missing tokens end up throttled").isEqualTo(429);
        // 20, plus one a slow machine may have earned back (one every 2 s) while the loop ran.
        assertThat(unauthorized).as("the budget of failures").isBetween(20, 22);

        HttpResponse<String> valid = order(guesser, "tok-acme");
        assertThat(valid.statusCode()).as("no oracle: a right guess is refused alike").isEqualTo(429);
        assertThat(valid.headers().firstValue("Retry-After")).isPresent();
        assertThat(GatewayHarness.json(valid).at("/error/code").asText()).isEqualTo("too_many_requests");
        assertThat(GatewayHarness.files(gw.queues.resolve("orders"))).isEmpty();

        assertThat(order("198.51.100.1", "tok-acme").statusCode()).as("another address is served").isEqualTo(202);
        assertThat(gw.send(HttpRequest.newBuilder(gw.uri("/ping")).header("X-Forwarded-For", guesser)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()).statusCode())
                .as("a public rule called without a token authenticates nothing").isEqualTo(202);
    }
}
