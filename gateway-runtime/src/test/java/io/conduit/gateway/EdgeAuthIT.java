package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens from the EdgeGateway's Secret, over real HTTP: who may call what, and what the others see. */
class EdgeAuthIT {
    static final String CONFIG = """
            apiVersion: v1
            kind: Secret
            metadata: {name: edge-tokens}
            stringData:
              acme: tok-acme-1
              globex: |
                tok-globex-old
                tok-globex-new
            ---
            apiVersion: conduit.io/v1alpha1
            kind: EdgeGateway
            metadata: {name: edge}
            spec:
              auth:
                tokensSecretRef: {name: edge-tokens}
                exemptPaths: [/open/**]
                tenants:
                  - {name: globex, rules: [upload, ping]}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: orders}
            spec:
              when: {http: {method: POST, path: /orders}}
              send:
                queue: {backendRef: {name: queues}, queue: "orders-{tenant}", message: {tenant: $tenant, order: $body}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: reports}
            spec:
              when: {http: {method: POST, path: /reports}}
              send: {queue: {backendRef: {name: queues}, queue: reports}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: orders-for-globex}
            spec:
              tenant: globex
              when: {http: {method: POST, path: /orders}}
              send:
                queue: {backendRef: {name: queues}, queue: globex-orders, message: {tenant: $tenant, order: $body}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: upload}
            spec:
              when: {http: {method: POST, path: /upload}}
              send: {blob: {backendRef: {name: blobs}}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: ping}
            spec:
              auth: None
              when: {http: {method: POST, path: /ping}}
              send: {queue: {backendRef: {name: queues}, queue: pings, message: {tenant: $tenant}}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: open}
            spec:
              when: {http: {method: POST, path: /open/hook}}
              send: {queue: {backendRef: {name: queues}, queue: hooks}}
            """;

    @TempDir
    static Path root;
    static GatewayHarness gw;

    @BeforeAll
    static void start() throws Exception {
        gw = GatewayHarness.start(root, CONFIG);
        assertThat(gw.get("/readyz").statusCode()).as(gw.adminConfig().toString()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    static HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gw.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return gw.send(request.build());
    }

    static String spooled(String queue) throws Exception {
        StringBuilder all = new StringBuilder();
        for (String file : GatewayHarness.files(gw.queues)) {
            if (file.startsWith(queue + "/")) {
                all.append(Files.readString(gw.queues.resolve(file)));
            }
        }
        return all.toString();
    }

    @Test
    void withoutATokenARuleIs401WithAChallengeAndNothingIsQueued() throws Exception {
        HttpResponse<String> response = post("/orders", "{\"id\":1}");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"conduit\"");
        JsonNode error = GatewayHarness.json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo("unauthorized");
        assertThat(error.get("requestId").asText()).isNotBlank();
        assertThat(spooled("orders-")).isEmpty();
    }

    @Test
    void aWrongTokenIs401InvalidTokenAndIsNotEchoed() throws Exception {
        HttpResponse<String> response = post("/orders", "{}", "Authorization", "Bearer tok-acme-2");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
        assertThat(response.body()).doesNotContain("tok-acme");
    }

    @Test
    void aBearerTokenNamesTheTenantInTemplatesAndQueueMetadata() throws Exception {
        HttpResponse<String> response = post("/orders", "{\"id\":7}", "Authorization", "Bearer tok-acme-1");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(GatewayHarness.json(response).at("/queueRef/queue").asText()).isEqualTo("orders-acme");
        JsonNode job = GatewayHarness.json(spooled("orders-acme"));
        assertThat(job.get("tenant").asText()).as("queue metadata").isEqualTo("acme");
        assertThat(job.at("/message/tenant").asText()).as("$tenant in the message template").isEqualTo("acme");
    }

    @Test
    void xTokenWorksAndEveryTokenOfARotatingTenantIsAccepted() throws Exception {
        assertThat(post("/upload", "x", "X-Token", "tok-globex-old").statusCode()).isEqualTo(201);
        assertThat(post("/upload", "x", "X-Token", "tok-globex-new").statusCode()).isEqualTo(201);
    }

    @Test
    void aTenantCallingARuleOutsideItsListIs403() throws Exception {
        HttpResponse<String> response = post("/reports", "{}", "Authorization", "Bearer tok-globex-new");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(GatewayHarness.json(response).at("/error/code").asText()).isEqualTo("forbidden");
        assertThat(spooled("reports")).isEmpty();
        assertThat(post("/reports", "{}", "X-Token", "tok-acme-1").statusCode()).as("acme has no list: every rule")
                .isEqualTo(202);
    }

    @Test
    void aTenantsOwnRuleOverridesTheSharedOneForThatTenantOnly() throws Exception {
        HttpResponse<String> globex = post("/orders", "{\"id\":9}", "Authorization", "Bearer tok-globex-new");
        assertThat(globex.statusCode()).as(globex.body()).isEqualTo(202);
        assertThat(GatewayHarness.json(globex).at("/queueRef/queue").asText()).isEqualTo("globex-orders");
        assertThat(spooled("orders-globex")).as("the shared rule did not run for globex").isEmpty();

        HttpResponse<String> acme = post("/orders", "{\"id\":10}", "Authorization", "Bearer tok-acme-1");
        assertThat(GatewayHarness.json(acme).at("/queueRef/queue").asText()).isEqualTo("orders-acme");
    }

    @Test
    void publicRulesExemptPathsAndHealthNeedNoToken() throws Exception {
        assertThat(post("/ping", "{}").statusCode()).isEqualTo(202);
        assertThat(post("/open/hook", "{}").statusCode()).isEqualTo(202);
        assertThat(gw.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(gw.get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void aPublicRuleCalledWithATokenStillKnowsTheTenant() throws Exception {
        HttpResponse<String> response = post("/ping", "{}", "X-Token", "tok-acme-1");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(spooled("pings")).contains("\"tenant\":\"acme\"");
    }

    @Test
    void unknownPathsAndBuiltInReadsNeedATokenToo() throws Exception {
        assertThat(gw.get("/nothing-here").statusCode()).as("no route list for strangers").isEqualTo(401);
        assertThat(gw.get("/v1/blobs/blobs/0000").statusCode()).isEqualTo(401);
        assertThat(gw.send(HttpRequest.newBuilder(gw.uri("/nothing-here")).header("X-Token", "tok-acme-1").GET().build())
                .statusCode()).isEqualTo(404);
    }
}
