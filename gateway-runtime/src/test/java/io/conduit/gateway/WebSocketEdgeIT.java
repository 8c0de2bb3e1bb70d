package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebSocket ingest behind the edge policies, with Vert.x's WebSocket client against a real gateway:
 * refusals are HTTP answers before the upgrade, the tenant reaches the queued messages and the log
 * lines, and every message counts against the rate limits.
 */
class WebSocketEdgeIT {
    static final String RULES = """
            apiVersion: v1
            kind: Secret
            metadata: {name: edge-tokens}
            stringData: {acme: tok-acme, globex: tok-globex}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: telemetry}
            spec:
              when:
                ws: {path: "/ws/{device}", maxMessageSize: 1Ki, idleTimeout: 30s, pingInterval: 10s}
              send:
                queue:
                  backendRef: {name: queues}
                  queue: telemetry
                  message: {device: $path.device, tenant: $tenant, reading: $body}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: globex-feed}
            spec:
              tenant: globex
              when: {ws: {path: /private/globex}}
              send: {queue: {backendRef: {name: queues}, queue: globex-feed, message: {tenant: $tenant, reading: $body}}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: EdgeGateway
            metadata: {name: edge}
            spec:
              auth:
                tokensSecretRef: {name: edge-tokens}
                tenants:
                  - {name: globex, ruleRefs: [{name: other}]}
            """;

    @TempDir
    Path root;
    GatewayHarness gw;
    Path log;
    Vertx vertx = Vertx.vertx();
    WebSocketClient client = vertx.createWebSocketClient();

    record Connection(WebSocket ws, BlockingQueue<JsonNode> acks) {
        JsonNode ack() throws Exception {
            JsonNode ack = acks.poll(10, TimeUnit.SECONDS);
            assertThat(ack).as("an acknowledgement").isNotNull();
            return ack;
        }
    }

    void start(String extraGatewaySpec) throws Exception {
        log = root.resolve("gateway.jsonl");
        gw = GatewayHarness.start(root, RULES + extraGatewaySpec.indent(2), null, o -> new GatewayOptions(o.configDir(), o.host(),
                o.port(), o.adminHost(), o.adminPort(), o.gatewayName(), o.adminToken(), o.renderedConfig(),
                o.credentialsFile(), log, o.drainGrace()));
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    Connection connect(String uri, String... headers) throws Exception {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setPort(gw.server.trafficPort()).setHost("127.0.0.1")
                .setURI(uri);
        for (int i = 0; i < headers.length; i += 2) {
            options.addHeader(headers[i], headers[i + 1]);
        }
        BlockingQueue<JsonNode> acks = new LinkedBlockingQueue<>();
        WebSocket ws = client.connect(options).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ws.textMessageHandler(text -> {
            try {
                acks.add(GatewayHarness.json(text));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return new Connection(ws, acks);
    }

    /** The status of an upgrade the gateway refused. */
    int refusedStatus(String uri, String... headers) {
        Throwable thrown = catchThrowable(() -> connect(uri, headers));
        assertThat(thrown).as("the upgrade is refused").isInstanceOf(ExecutionException.class);
        assertThat(thrown.getCause()).isInstanceOf(UpgradeRejectedException.class);
        return ((UpgradeRejectedException) thrown.getCause()).getStatus();
    }

    JsonNode spooled(JsonNode ack) throws Exception {
        return GatewayHarness.json(Files.readString(gw.queues.resolve("telemetry/new/" + ack.at("/queueRef/jobId").asText()
                + ".json")));
    }

    List<JsonNode> logLines(String type) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            JsonNode event = GatewayHarness.json(line);
            if (event.get("type").asText().equals(type)) {
                lines.add(event);
            }
        }
        return lines;
    }

    PrometheusText metrics() throws Exception {
        return PrometheusText.parse(gw.send(java.net.http.HttpRequest.newBuilder(gw.admin("/metrics")).build()).body());
    }

    @Test
    void anUpgradeWithoutAValidTokenIs401AndOneForAnotherTenantsRuleIs403BeforeAnyUpgrade() throws Exception {
        start("");

        assertThat(refusedStatus("/ws/a")).isEqualTo(401);
        assertThat(refusedStatus("/ws/a", "Authorization", "Bearer not-a-token")).isEqualTo(401);
        assertThat(refusedStatus("/ws/a", "X-Token", "tok-globex")).as("globex may only call 'other'").isEqualTo(403);

        assertThat(GatewayHarness.files(gw.queues.resolve("telemetry/new"))).isEmpty();
        PrometheusText m = metrics();
        assertThat(m.sum("conduit_auth_failures_total")).isEqualTo(3.0);
        assertThat(m.sum("conduit_http_requests_total", "status", "101")).isZero();
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(5), () -> logLines("request").size() == 3)).isTrue();
        assertThat(logLines("request")).extracting(l -> l.get("status").asInt()).containsExactlyInAnyOrder(401, 401, 403);
        assertThat(logLines("ws.connect")).isEmpty();
    }

    @Test
    void aTenantsWebSocketRuleServesOnlyThatTenantAndUnknownPathsNeedATokenBefore404() throws Exception {
        start("");

        assertThat(refusedStatus("/private/globex", "X-Token", "tok-acme")).as("acme does not see globex's rule").isEqualTo(404);
        assertThat(refusedStatus("/private/globex")).as("nor does a caller without a token").isEqualTo(401);
        assertThat(refusedStatus("/no/such/socket")).as("an unknown path without a token").isEqualTo(401);
        assertThat(refusedStatus("/no/such/socket", "X-Token", "not-a-token")).isEqualTo(401);
        assertThat(refusedStatus("/no/such/socket", "X-Token", "tok-acme")).isEqualTo(404);
        assertThat(GatewayHarness.files(gw.queues.resolve("globex-feed/new"))).isEmpty();

        Connection c = connect("/private/globex", "X-Token", "tok-globex");
        c.ws().writeTextMessage("{\"t\":1}");
        JsonNode ack = c.ack();
        JsonNode job = GatewayHarness.json(Files.readString(gw.queues.resolve("globex-feed/new/"
                + ack.at("/queueRef/jobId").asText() + ".json")));
        assertThat(job.get("tenant").asText()).isEqualTo("globex");
        c.ws().close();
    }

    @Test
    void aValidTokensTenantTravelsIntoEveryQueuedMessageAndTheLogLines() throws Exception {
        start("");

        Connection c = connect("/ws/sensor-1", "Authorization", "Bearer tok-acme");
        c.ws().writeTextMessage("{\"t\":1}");
        JsonNode first = c.ack();
        c.ws().writeTextMessage("{\"t\":2}");
        JsonNode second = c.ack();

        for (JsonNode ack : List.of(first, second)) {
            assertThat(ack.has("queueRef")).as(ack.toString()).isTrue();
            JsonNode job = spooled(ack);
            assertThat(job.get("tenant").asText()).as("queue metadata").isEqualTo("acme");
            assertThat(job.at("/message/tenant").asText()).as("$tenant in the template").isEqualTo("acme");
            assertThat(job.at("/message/device").asText()).isEqualTo("sensor-1");
        }
        c.ws().close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(5), () -> logLines("ws.close").size() == 1)).isTrue();
        assertThat(logLines("ws.connect").get(0).get("tenant").asText()).isEqualTo("acme");
        assertThat(logLines("ws.message")).hasSize(2).allSatisfy(l -> assertThat(l.get("tenant").asText()).isEqualTo("acme"));
        assertThat(logLines("ws.close").get(0).get("tenant").asText()).isEqualTo("acme");
        assertThat(Files.readString(log)).as("the token is never logged").doesNotContain("tok-acme");
    }

    @Test
    void eachMessageCountsAgainstTheRateLimitAndOneOverItGetsAnErrorFrameWhileTheConnectionStaysOpen() throws Exception {
        // Burst 3: the upgrade takes one token, two messages take the rest.
        start("""
                rateLimits: [{name: per-token, key: token, requestsPerSecond: 1, burst: 3}]
                """);

        Connection c = connect("/ws/sensor-2", "X-Token", "tok-acme");
        c.ws().writeTextMessage("{\"n\":1}");
        assertThat(c.ack().has("queueRef")).isTrue();
        c.ws().writeTextMessage("{\"n\":2}");
        assertThat(c.ack().has("queueRef")).isTrue();
        c.ws().writeTextMessage("{\"n\":3}");
        JsonNode refused = c.ack();
        assertThat(refused.get("seq").asInt()).isEqualTo(3);
        assertThat(refused.has("queueRef")).isFalse();
        assertThat(refused.at("/error/code").asText()).isEqualTo("too_many_requests");
        assertThat(refused.at("/error/retryAfter").asInt()).isEqualTo(1);
        assertThat(GatewayHarness.files(gw.queues.resolve("telemetry/new"))).as("the refused message is not queued").hasSize(2);

        Thread.sleep(1_100);
        c.ws().writeTextMessage("{\"n\":4}");
        assertThat(c.ack().has("queueRef")).as("refilled after a second, on the same connection").isTrue();
        assertThat(c.ws().isClosed()).isFalse();

        assertThat(metrics().sum("conduit_rate_limit_rejections_total", "tenant", "acme")).isEqualTo(1.0);
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(5), () -> logLines("ws.message").size() == 4)).isTrue();
        assertThat(logLines("ws.message").get(2).get("error").asText()).isEqualTo("too_many_requests");
    }

    @Test
    void anUpgradeOverTheRateLimitIs429() throws Exception {
        start("""
                rateLimits: [{name: per-token, key: token, requestsPerSecond: 1, burst: 1}]
                """);

        Connection c = connect("/ws/sensor-3", "X-Token", "tok-acme");
        assertThat(refusedStatus("/ws/sensor-3", "X-Token", "tok-acme")).isEqualTo(429);
        c.ws().close();
    }
}
