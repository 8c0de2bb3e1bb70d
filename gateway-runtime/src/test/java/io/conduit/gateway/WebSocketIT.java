package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebSocket ingest (when.ws) through a real gateway, with Vert.x's WebSocket client; messages read back from the spool. */
class WebSocketIT {
    static final String RULES = """
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: telemetry}
            spec:
              when:
                ws: {path: "/ws/{device}", maxMessageSize: 1Ki, idleTimeout: 1500ms, pingInterval: 200ms}
              send:
                queue:
                  backendRef: {name: queues}
                  queue: telemetry
                  message: {device: $path.device, reading: $body, site: $query.site}
            """;

    @TempDir
    Path root;
    GatewayHarness gw;
    Path log;
    Vertx vertx;
    WebSocketClient client;

    /** One client connection: the acknowledgements it got and how it was closed. */
    record Connection(WebSocket ws, BlockingQueue<JsonNode> acks, CompletableFuture<Short> closed) {
        JsonNode ack() throws Exception {
            JsonNode ack = acks.poll(10, TimeUnit.SECONDS);
            assertThat(ack).as("an acknowledgement").isNotNull();
            return ack;
        }
    }

    @BeforeEach
    void start() throws Exception {
        log = root.resolve("gateway.jsonl");
        gw = GatewayHarness.start(root, RULES, null, o -> new GatewayOptions(o.configDir(), o.host(), o.port(), o.adminHost(),
                o.adminPort(), o.gatewayName(), o.adminToken(), o.renderedConfig(), o.credentialsFile(), log, o.drainGrace()));
        vertx = Vertx.vertx();
        client = vertx.createWebSocketClient();
    }

    @AfterEach
    void stop() {
        gw.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    Connection connect(String uri) throws Exception {
        BlockingQueue<JsonNode> acks = new LinkedBlockingQueue<>();
        CompletableFuture<Short> closed = new CompletableFuture<>();
        WebSocket ws = client.connect(new WebSocketConnectOptions().setPort(gw.server.trafficPort()).setHost("127.0.0.1")
                .setURI(uri)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ws.textMessageHandler(text -> {
            try {
                acks.add(GatewayHarness.json(text));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
        return new Connection(ws, acks, closed);
    }

    JsonNode spooled(JsonNode ack) throws Exception {
        return GatewayHarness.json(Files.readString(gw.queues.resolve("telemetry/new/" + ack.at("/queueRef/jobId").asText()
                + ".json"))).get("message");
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

    @Test
    void everyMessageIsQueuedAndAcknowledgedWithItsQueueRef() throws Exception {
        Connection c = connect("/ws/sensor-7?site=north");
        c.ws().writeTextMessage("{\"t\":21.5}");
        JsonNode first = c.ack();
        c.ws().writeTextMessage("plain text");
        JsonNode second = c.ack();
        c.ws().writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3}));
        JsonNode third = c.ack();
        // One message in two frames, as clients send long messages.
        c.ws().writeFrame(io.vertx.core.http.WebSocketFrame.textFrame("{\"part\":", false));
        c.ws().writeFrame(io.vertx.core.http.WebSocketFrame.continuationFrame(Buffer.buffer("\"two\"}"), true));
        JsonNode fourth = c.ack();

        assertThat(List.of(first, second, third, fourth)).extracting(a -> a.get("seq").asInt()).containsExactly(1, 2, 3, 4);
        assertThat(first.at("/queueRef/backend").asText()).isEqualTo("spool");
        assertThat(first.at("/queueRef/queue").asText()).isEqualTo("telemetry");
        assertThat(first.get("requestId").asText()).endsWith("-1");

        JsonNode m1 = spooled(first);
        assertThat(m1.get("device").asText()).isEqualTo("sensor-7");
        assertThat(m1.get("site").asText()).isEqualTo("north");
        assertThat(m1.at("/reading/t").asDouble()).isEqualTo(21.5);
        assertThat(spooled(second).get("reading").asText()).isEqualTo("plain text");
        assertThat(spooled(third).get("reading").asText()).isEqualTo(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}));
        assertThat(spooled(fourth).at("/reading/part").asText()).isEqualTo("two");

        c.ws().close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(5), () -> logLines("ws.close").size() == 1)).isTrue();
        assertThat(logLines("ws.connect")).hasSize(1);
        assertThat(logLines("ws.connect").get(0).get("rule").asText()).endsWith("telemetry");
        List<JsonNode> messages = logLines("ws.message");
        assertThat(messages).hasSize(4);
        assertThat(messages.get(0).get("jobId").asText()).isEqualTo(first.at("/queueRef/jobId").asText());
        assertThat(messages.get(0).get("status").asText()).isEqualTo("queued");
        assertThat(logLines("ws.close").get(0).get("messages").asInt()).isEqualTo(4);

        PrometheusText m = PrometheusText.parse(gw.send(java.net.http.HttpRequest.newBuilder(gw.admin("/metrics")).build()).body());
        assertThat(m.sum("conduit_websocket_frames_total", "direction", "in")).isEqualTo(4.0);
        assertThat(m.sum("conduit_websocket_frames_total", "direction", "out")).isEqualTo(4.0);
        assertThat(m.value("conduit_websocket_connections")).isZero();
        assertThat(m.sum("conduit_http_requests_total", "status", "101")).isEqualTo(1.0);
    }

    @Test
    void aMessageOverTheCapClosesTheConnectionWith1009() throws Exception {
        Connection c = connect("/ws/big");
        c.ws().writeTextMessage("{\"ok\":true}");
        assertThat(c.ack().has("queueRef")).isTrue();
        c.ws().writeTextMessage("x".repeat(2048));
        assertThat(c.closed().get(10, TimeUnit.SECONDS)).isEqualTo((short) 1009);
        assertThat(GatewayHarness.files(gw.queues.resolve("telemetry/new"))).hasSize(1);
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(5), () -> logLines("ws.close").size() == 1)).isTrue();
        assertThat(logLines("ws.close").get(0).get("code").asInt()).isEqualTo(1009);
    }

    @Test
    void anIdleConnectionIsClosedWhileAnsweredPingsAloneDoNotKeepItOpen() throws Exception {
        Connection c = connect("/ws/idle");
        long start = System.nanoTime();
        assertThat(c.closed().get(10, TimeUnit.SECONDS)).isEqualTo((short) 1000);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
    }

    @Test
    void anUpgradeToAPathWithoutAWebSocketRuleIs404() {
        assertThatThrownBy(() -> connect("/nowhere")).hasMessageContaining("404");
    }
}
