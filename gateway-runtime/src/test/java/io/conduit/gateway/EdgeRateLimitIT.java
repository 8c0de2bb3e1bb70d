package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local token buckets and tenant quotas over real HTTP: 429 with Retry-After, RateLimit-* headers and the JSON error. */
class EdgeRateLimitIT {
    static final String RULES = """
            apiVersion: v1
            kind: Secret
            metadata: {name: edge-tokens}
            stringData: {acme: tok-acme, globex: tok-globex, initech: tok-initech}
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
            metadata: {name: upload}
            spec:
              when: {http: {method: POST, path: /upload}}
              send: {blob: {backendRef: {name: blobs}}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: EdgeGateway
            metadata: {name: edge}
            spec:
            """;

    @TempDir
    Path root;
    GatewayHarness gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    void start(String gatewaySpec) throws Exception {
        gw = GatewayHarness.start(root, RULES + gatewaySpec.indent(2));
        assertThat(gw.get("/readyz").statusCode()).as(gw.adminConfig().toString()).isEqualTo(200);
    }

    HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gw.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return gw.send(request.build());
    }

    @Test
    void aTokenOverItsBurstGets429WithRetryAfterAndRateLimitHeadersWhileOthersPass() throws Exception {
        start("""
                auth: {tokensSecretRef: {name: edge-tokens}}
                rateLimits: [{name: per-token, key: token, requestsPerSecond: 1, burst: 2}]
                """);

        HttpResponse<String> first = post("/orders", "{}", "X-Token", "tok-acme");
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.headers().firstValue("RateLimit-Limit")).hasValue("2");
        assertThat(first.headers().firstValue("RateLimit-Remaining")).hasValue("1");
        assertThat(post("/orders", "{}", "X-Token", "tok-acme").statusCode()).isEqualTo(202);

        HttpResponse<String> third = post("/orders", "{}", "X-Token", "tok-acme");
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(third.headers().firstValue("RateLimit-Remaining")).hasValue("0");
        JsonNode error = GatewayHarness.json(third).get("error");
        assertThat(error.get("code").asText()).isEqualTo("too_many_requests");

        assertThat(post("/orders", "{}", "X-Token", "tok-globex").statusCode()).as("another token, another bucket")
                .isEqualTo(202);
        Thread.sleep(1_100);
        assertThat(post("/orders", "{}", "X-Token", "tok-acme").statusCode()).as("refilled after a second").isEqualTo(202);
    }

    @Test
    void aRouteLimitIsSharedByEveryCallerOfTheRouteOnly() throws Exception {
        start("""
                rateLimits: [{name: per-route, key: route, requestsPerSecond: 1, burst: 1}]
                """);

        assertThat(post("/orders", "{}").statusCode()).isEqualTo(202);
        assertThat(post("/orders", "{}").statusCode()).isEqualTo(429);
        assertThat(post("/upload", "x").statusCode()).as("another route").isEqualTo(201);
    }

    @Test
    void aLimitNarrowedToOneRuleLeavesTheOtherRulesAlone() throws Exception {
        start("""
                rateLimits: [{name: uploads-only, key: ip, requestsPerSecond: 1, burst: 1, ruleRefs: [{name: upload}]}]
                """);

        assertThat(post("/upload", "x").statusCode()).isEqualTo(201);
        HttpResponse<String> second = post("/upload", "x");
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.headers().firstValue("Retry-After")).isPresent();
        for (int i = 0; i < 3; i++) {
            assertThat(post("/orders", "{}").statusCode()).as("a rule the limit does not name").isEqualTo(202);
        }
    }

    @Test
    void forwardedForIsBelievedOnlyFromTrustedProxies() throws Exception {
        start("""
                trustedProxies: [127.0.0.1/32]
                rateLimits: [{name: per-ip, key: ip, requestsPerSecond: 1, burst: 1}]
                """);

        assertThat(post("/orders", "{}", "X-Forwarded-For", "203.0.113.7").statusCode()).isEqualTo(202);
        assertThat(post("/orders", "{}", "X-Forwarded-For", "203.0.113.7").statusCode()).isEqualTo(429);
        assertThat(post("/orders", "{}", "X-Forwarded-For", "203.0.113.8").statusCode()).as("another client")
                .isEqualTo(202);
        assertThat(post("/orders", "{}", "X-Forwarded-For", "203.0.113.9, 127.0.0.1").statusCode())
                .as("a trusted hop is skipped").isEqualTo(202);
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
        start("""
                trustedProxies: [10.0.0.0/8]
                rateLimits: [{name: per-ip, key: ip, requestsPerSecond: 1, burst: 1}]
                """);

        assertThat(post("/orders", "{}", "X-Forwarded-For", "203.0.113.7").statusCode()).isEqualTo(202);
        assertThat(post("/orders", "{}", "X-Forwarded-For", "203.0.113.8").statusCode())
                .as("a spoofed header does not buy a new bucket").isEqualTo(429);
    }

    @Test
    void tenantQuotasLimitRequestsPerSecondAndBytesPerDay() throws Exception {
        start("""
                auth:
                  tokensSecretRef: {name: edge-tokens}
                  tenants:
                    - {name: acme, requestsPerSecond: 1, burst: 1}
                    - {name: globex, bytesPerDay: "10"}
                """);

        assertThat(post("/orders", "{}", "X-Token", "tok-acme").statusCode()).isEqualTo(202);
        HttpResponse<String> over = post("/orders", "{}", "X-Token", "tok-acme");
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(over.headers().firstValue("Retry-After")).isPresent();
        assertThat(post("/orders", "{}", "X-Token", "tok-initech").statusCode()).as("no quota").isEqualTo(202);

        assertThat(post("/upload", "12345678", "X-Token", "tok-globex").statusCode()).isEqualTo(201);
        HttpResponse<String> pastTheDay = post("/upload", "12345", "X-Token", "tok-globex");
        assertThat(pastTheDay.statusCode()).isEqualTo(429);
        assertThat(pastTheDay.body()).contains("bytes per day");
        assertThat(Long.parseLong(pastTheDay.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 86_400L);
    }

    @Test
    void aTenantGetsNoMoreConcurrentUploadsThanItsQuota() throws Exception {
        start("""
                auth:
                  tokensSecretRef: {name: edge-tokens}
                  tenants: [{name: acme, maxConcurrentUploads: 1}]
                """);

        try (Socket slow = new Socket("127.0.0.1", gw.server.trafficPort())) {
            OutputStream out = slow.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: x\r\nX-Token: tok-acme\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 4\r\n\r\nab").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Nothing else runs meanwhile, so the slow upload holds the tenant's one slot.
            Thread.sleep(1_000);
            assertThat(slow.getInputStream().available()).as("the first upload is still open").isZero();
            HttpResponse<String> second = post("/upload", "x", "X-Token", "tok-acme");
            assertThat(second.statusCode()).isEqualTo(429);
            assertThat(second.body()).contains("uploads in flight");
            assertThat(post("/upload", "x", "X-Token", "tok-globex").statusCode()).as("other tenants unaffected")
                    .isEqualTo(201);

            out.write("cd".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = slow.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 201");
        }
        assertThat(post("/upload", "x", "X-Token", "tok-acme").statusCode()).as("the slot is free again").isEqualTo(201);
    }
}
