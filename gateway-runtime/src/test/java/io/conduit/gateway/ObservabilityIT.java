package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metrics scraped from /metrics as Prometheus text, the JSON log read back line by line, trace context in the queue. */
class ObservabilityIT {
    static final String RULES = """
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: work}
            spec:
              when: {http: {method: POST, path: /work}}
              send:
                queue: {backendRef: {name: queues}, queue: work}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: upload}
            spec:
              when: {http: {method: POST, path: /upload}}
              send:
                blob: {backendRef: {name: blobs}}
            """;

    @TempDir
    Path root;
    GatewayHarness gw;
    Path log;

    @BeforeEach
    void start() throws Exception {
        log = root.resolve("logs/gateway.jsonl");
        gw = GatewayHarness.start(root, RULES, null, o -> new GatewayOptions(o.configDir(), o.host(), o.port(), o.adminHost(),
                o.adminPort(), o.gatewayName(), o.adminToken(), o.renderedConfig(), o.credentialsFile(), log, o.drainGrace()));
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    PrometheusText scrape() throws Exception {
        HttpResponse<String> r = gw.send(HttpRequest.newBuilder(gw.admin("/metrics")).GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return PrometheusText.parse(r.body());
    }

    String ruleId(String name) throws Exception {
        for (JsonNode route : gw.adminConfig().at("/config/routes")) {
            if (route.get("id").asText().endsWith(name)) {
                return route.get("id").asText();
            }
        }
        throw new AssertionError("no route " + name);
    }

    List<JsonNode> logLines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        if (!Files.exists(log)) {
            return lines;
        }
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            lines.add(GatewayHarness.json(line));
        }
        return lines;
    }

    List<JsonNode> logLines(String type) throws Exception {
        return logLines().stream().filter(l -> l.get("type").asText().equals(type)).toList();
    }

    @Test
    void metricsCountRequestsLatencyBytesAndBackendWrites() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(gw.post("/work", "application/json", "{\"n\":1}".getBytes()).statusCode()).isEqualTo(202);
        }
        byte[] blob = new byte[10_000];
        assertThat(gw.post("/upload", "application/octet-stream", blob).statusCode()).isEqualTo(201);
        assertThat(gw.get("/nothing-here").statusCode()).isEqualTo(404);

        PrometheusText m = scrape();
        String work = ruleId("work");
        String upload = ruleId("upload");
        assertThat(m.value("conduit_http_requests_total", "rule", work, "method", "POST", "status", "202", "tenant", "-"))
                .isEqualTo(3.0);
        assertThat(m.value("conduit_http_requests_total", "rule", upload, "method", "POST", "status", "201", "tenant", "-"))
                .isEqualTo(1.0);
        assertThat(m.value("conduit_http_requests_total", "rule", "-", "method", "GET", "status", "404", "tenant", "-"))
                .isEqualTo(1.0);
        assertThat(m.types.get("conduit_http_request_duration_seconds")).isEqualTo("histogram");
        assertThat(m.value("conduit_http_request_duration_seconds_count", "rule", work, "method", "POST")).isEqualTo(3.0);
        assertThat(m.value("conduit_http_request_duration_seconds_bucket", "rule", work, "method", "POST", "le", "+Inf"))
                .isEqualTo(3.0);
        double p50 = m.histogramQuantile(0.5, "conduit_http_request_duration_seconds", "rule", work, "method", "POST");
        double p95 = m.histogramQuantile(0.95, "conduit_http_request_duration_seconds", "rule", work, "method", "POST");
        double p99 = m.histogramQuantile(0.99, "conduit_http_request_duration_seconds", "rule", work, "method", "POST");
        double max = m.value("conduit_http_request_duration_seconds_max", "rule", work, "method", "POST");
        assertThat(p50).isPositive().isLessThanOrEqualTo(p95);
        assertThat(p95).isLessThanOrEqualTo(p99);
        assertThat(p99).as("within the bucket holding the slowest request").isLessThanOrEqualTo(max * 1.5 + 0.001);
        assertThat(m.value("conduit_http_received_bytes_total", "rule", upload, "tenant", "-")).isGreaterThanOrEqualTo(10_000.0);
        assertThat(m.value("conduit_http_received_bytes_total", "rule", work, "tenant", "-")).isEqualTo(21.0);
        assertThat(m.value("conduit_http_sent_bytes_total", "rule", work, "tenant", "-")).isPositive();
        assertThat(m.sum("conduit_backend_write_duration_seconds_count", "backend", "queues", "outcome", "ok")).isEqualTo(3.0);
        assertThat(m.sum("conduit_backend_write_duration_seconds_count", "backend", "blobs", "outcome", "ok")).isEqualTo(1.0);
        assertThat(m.sum("conduit_backend_write_errors_total")).isZero();
        assertThat(m.value("conduit_http_requests_in_flight")).isZero();
        String revision = gw.adminConfig().get("revision").asText();
        assertThat(m.value("conduit_config_info", "revision", revision)).isEqualTo(1.0);
        assertThat(m.value("conduit_config_reloads_total", "result", "applied", "source", "folder")).isEqualTo(1.0);
        assertThat(m.value("conduit_websocket_connections")).isZero();
    }

    @Test
    void aReloadMovesTheRevisionGaugeAndIsLogged() throws Exception {
        String before = gw.adminConfig().get("revision").asText();
        Files.writeString(gw.configDir.resolve("rules.yaml"), RULES.replace("queue: work}", "queue: work2}"));
        gw.server.loadConfig().toCompletionStage().toCompletableFuture().get();
        String after = gw.adminConfig().get("revision").asText();
        assertThat(after).isNotEqualTo(before);

        PrometheusText m = scrape();
        assertThat(m.value("conduit_config_info", "revision", after)).isEqualTo(1.0);
        assertThat(m.value("conduit_config_info", "revision", before)).isNull();
        assertThat(m.value("conduit_config_reloads_total", "result", "applied", "source", "folder")).isEqualTo(2.0);

        assertThat(GatewayHarness.eventually(Duration.ofSeconds(5), () -> logLines("reload").size() >= 2)).isTrue();
        List<JsonNode> reloads = logLines("reload");
        assertThat(reloads.get(reloads.size() - 1).get("revision").asText()).isEqualTo(after);
        assertThat(reloads.get(reloads.size() - 1).get("result").asText()).isEqualTo("applied");
    }

    @Test
    void everyRequestIsOneJsonLineWithoutBodiesOrTokens() throws Exception {
        HttpResponse<String> queued = gw.send(HttpRequest.newBuilder(gw.uri("/work?secret=no"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer tok-very-secret-123")
                .POST(HttpRequest.BodyPublishers.ofString("{\"payload\":\"body-text-not-logged\"}")).build());
        assertThat(queued.statusCode()).isEqualTo(202);
        String jobId = GatewayHarness.json(queued).at("/queueRef/jobId").asText();
        HttpResponse<String> stored = gw.post("/upload", "text/plain", "blob-text-not-logged".getBytes());
        assertThat(stored.statusCode()).isEqualTo(201);
        String blobId = GatewayHarness.json(stored).at("/blobRef/blobId").asText();

        assertThat(GatewayHarness.eventually(Duration.ofSeconds(5), () -> logLines("request").size() == 2)).isTrue();
        List<JsonNode> requests = logLines("request");
        JsonNode q = requests.get(0);
        assertThat(q.get("requestId").asText()).isEqualTo(queued.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(q.get("rule").asText()).isEqualTo(ruleId("work"));
        assertThat(q.get("method").asText()).isEqualTo("POST");
        assertThat(q.get("path").asText()).isEqualTo("/work");
        assertThat(q.get("status").asInt()).isEqualTo(202);
        assertThat(q.get("tenant").asText()).isEqualTo("-");
        assertThat(q.get("bytesIn").asLong()).isEqualTo(34);
        assertThat(q.get("bytesOut").asLong()).isPositive();
        assertThat(q.get("durationMs").asDouble()).isPositive();
        assertThat(q.get("backend").asText()).isEqualTo("queues");
        assertThat(q.get("jobId").asText()).isEqualTo(jobId);
        assertThat(q.get("traceId").asText()).matches("[0-9a-f]{32}");
        JsonNode b = requests.get(1);
        assertThat(b.get("status").asInt()).isEqualTo(201);
        assertThat(b.get("blobId").asText()).isEqualTo(blobId);
        assertThat(b.get("backend").asText()).isEqualTo("blobs");

        String all = Files.readString(log);
        assertThat(all).doesNotContain("tok-very-secret-123").doesNotContain("body-text-not-logged")
                .doesNotContain("blob-text-not-logged").doesNotContain("secret=no");
    }

    @Test
    void theClientsTraceContextTravelsWithTheQueuedMessage() throws Exception {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        HttpResponse<String> r = gw.send(HttpRequest.newBuilder(gw.uri("/work"))
                .header("Content-Type", "application/json")
                .header("traceparent", traceparent)
                .header("tracestate", "congo=t61rcWkgMzE")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode job = GatewayHarness.json(Files.readString(gw.queues.resolve("work/new/"
                + GatewayHarness.json(r).at("/queueRef/jobId").asText() + ".json")));
        assertThat(job.get("traceparent").asText()).isEqualTo(traceparent);
        assertThat(job.get("tracestate").asText()).isEqualTo("congo=t61rcWkgMzE");
    }

    @Test
    void withoutTraceContextTheGatewayStartsATraceAndLogsItsId() throws Exception {
        HttpResponse<String> r = gw.send(HttpRequest.newBuilder(gw.uri("/work"))
                .header("Content-Type", "application/json")
                .header("traceparent", "not-a-trace")
                .header("tracestate", "dropped=1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode job = GatewayHarness.json(Files.readString(gw.queues.resolve("work/new/"
                + GatewayHarness.json(r).at("/queueRef/jobId").asText() + ".json")));
        String traceparent = job.get("traceparent").asText();
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(job.has("tracestate")).isFalse();
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(5), () -> logLines("request").size() == 1)).isTrue();
        assertThat(logLines("request").get(0).get("traceId").asText()).isEqualTo(traceparent.substring(3, 35));
    }
}
