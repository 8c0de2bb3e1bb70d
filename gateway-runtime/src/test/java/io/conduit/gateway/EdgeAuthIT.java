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
              initech: tok-initech
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
                exemptPaths: [/open/**, /hooks/stripe]
                tenants:
                  - {name: globex, ruleRefs: [{name: upload}, {name: ping}]}
                  - {name: initech, ruleRefs: [{name: initech-jobs}]}
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
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: any-pair}
            spec:
              when: {http: {method: POST, path: "/{a}/{b}"}}
              send: {queue: {backendRef: {name: queues}, queue: pairs, message: {tenant: $tenant}}}
            """;

    @TempDir
    static Path root;
    static GatewayHarness gw;

    @BeforeAll
    static void start() throws Exception {
        gw = GatewayHarness.start(root, CONFIG + """
                ---
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: initech-queues}
                spec: {type: spool, spool: {path: "%s"}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: initech-jobs}
                spec:
                  tenant: initech
                  when: {http: {method: POST, path: /initech}}
                  send: {queue: {backendRef: {name: initech-queues}, queue: jobs}}
                """.formatted(root.resolve("initech-queues")));
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
    void anExemptPathDoesNotMakeAnotherRuleThatMatchesItPublic() throws Exception {
        // /hooks/stripe has no rule of its own: the template /{a}/{b} matches it and keeps needing a token.
        HttpResponse<String> stranger = post("/hooks/stripe", "{}");
        assertThat(stranger.statusCode()).as(stranger.body()).isEqualTo(401);
        assertThat(post("/open/other", "{}").statusCode()).as("a /** exemption neither").isEqualTo(401);
        assertThat(post("/hooks/stripe", "{}", "Authorization", "Bearer nope").statusCode()).isEqualTo(401);
        assertThat(spooled("pairs")).isEmpty();

        HttpResponse<String> acme = post("/hooks/stripe", "{}", "Authorization", "Bearer tok-acme-1");
        assertThat(acme.statusCode()).as(acme.body()).isEqualTo(202);
        assertThat(spooled("pairs")).contains("\"tenant\":\"acme\"");
        assertThat(post("/open/hook", "{}", "Authorization", "Bearer a-webhook-senders-own").statusCode())
                .as("the exempt rule itself ignores a token that is not ours").isEqualTo(202);
    }

    @Test
    void aPublicRuleCalledWithATokenStillKnowsTheTenant() throws Exception {
        HttpResponse<String> response = post("/ping", "{}", "X-Token", "tok-acme-1");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(spooled("pings")).contains("\"tenant\":\"acme\"");
    }

    static int read(String path, String token) throws Exception {
        return gw.send(HttpRequest.newBuilder(gw.uri(path)).header("X-Token", token).GET().build()).statusCode();
    }

    @Test
    void aTenantReadsOnlyBlobsAndJobsOfBackendsItsOwnRulesWriteTo() throws Exception {
        String blob = "/v1/blobs/blobs/" + GatewayHarness.json(post("/upload", "acme's", "X-Token", "tok-acme-1"))
                .at("/blobRef/blobId").asText();
        assertThat(read(blob, "tok-acme-1")).isEqualTo(200);
        assertThat(read(blob, "tok-initech")).as("initech's rules write no blobs").isEqualTo(403);
        assertThat(read(blob + "/meta", "tok-initech")).isEqualTo(403);
        assertThat(read("/v1/blobs/blobs/" + "0".repeat(64), "tok-initech")).as("nor can it probe for ids").isEqualTo(403);

        String job = "/v1/queues/queues/pings/jobs/" + GatewayHarness.json(post("/ping", "{}", "X-Token", "tok-acme-1"))
                .at("/queueRef/jobId").asText();
        assertThat(read(job, "tok-acme-1")).isEqualTo(200);
        assertThat(read(job, "tok-initech")).isEqualTo(403);

        HttpResponse<String> own = post("/initech", "{}", "X-Token", "tok-initech");
        assertThat(own.statusCode()).as(own.body()).isEqualTo(202);
        String ownJob = "/v1/queues/initech-queues/jobs/jobs/" + GatewayHarness.json(own).at("/queueRef/jobId").asText();
        assertThat(read(ownJob, "tok-initech")).isEqualTo(200);
        assertThat(read(ownJob, "tok-acme-1")).as("only initech's own rule writes there").isEqualTo(403);
    }

    @Test
    void unknownPathsAndBuiltInReadsNeedATokenToo() throws Exception {
        assertThat(gw.get("/nothing-here").statusCode()).as("no route list for strangers").isEqualTo(401);
        assertThat(gw.get("/v1/blobs/blobs/0000").statusCode()).isEqualTo(401);
        assertThat(gw.send(HttpRequest.newBuilder(gw.uri("/nothing-here")).header("X-Token", "tok-acme-1").GET().build())
                .statusCode()).isEqualTo(404);
    }
}
