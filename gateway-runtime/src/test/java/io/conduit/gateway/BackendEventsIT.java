package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follow-up envelope whose queue cannot be written (its spool folder is blocked by a file) is
 * retried, then dead-lettered: the metrics count the failed attempts, the retries and the DLQ write,
 * and the JSON log says so.
 */
class BackendEventsIT {
    @TempDir
    Path root;

    @Test
    void retriesAndADeadLetterShowInMetricsAndTheLog() throws Exception {
        Path events = Files.createDirectories(root.resolve("events"));
        Files.writeString(events.resolve("blocked"), "a file where the queue's folder would go");
        Path log = root.resolve("gateway.jsonl");
        String rules = """
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: events}
                spec:
                  type: spool
                  spool: {path: "%s"}
                  jobDefaults: {deadLetter: {enabled: true}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: upload}
                spec:
                  when: {http: {method: POST, path: /upload}}
                  send:
                    blob: {backendRef: {name: blobs}}
                  onComplete:
                    enqueue: {backendRef: {name: events}, to: blocked, envelope: {type: uploaded, blobRef: $blobRef}}
                """.formatted(events);
        try (GatewayHarness gw = GatewayHarness.start(root, rules, null, o -> new GatewayOptions(o.configDir(), o.host(),
                o.port(), o.adminHost(), o.adminPort(), o.gatewayName(), o.adminToken(), o.renderedConfig(),
                o.credentialsFile(), log, o.drainGrace()))) {
            var response = gw.post("/upload", "application/octet-stream", "data".getBytes());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            assertThat(GatewayHarness.files(events.resolve("blocked-dlq/new"))).hasSize(1);

            PrometheusText m = PrometheusText.parse(gw.send(HttpRequest.newBuilder(gw.admin("/metrics")).build()).body());
            double errors = m.value("conduit_backend_write_errors_total", "backend", "events", "type", "queue");
            double retries = m.value("conduit_backend_retries_total", "backend", "events");
            assertThat(errors).as("every attempt at the blocked queue failed").isGreaterThanOrEqualTo(2.0);
            assertThat(retries).as("all but the last failed attempt were retried").isEqualTo(errors - 1);
            assertThat(m.value("conduit_backend_write_duration_seconds_count", "backend", "events", "type", "queue",
                    "outcome", "error")).isEqualTo(errors);
            assertThat(m.value("conduit_backend_write_duration_seconds_count", "backend", "events", "type", "queue",
                    "outcome", "ok")).as("the dead letter").isEqualTo(1.0);
            assertThat(m.value("conduit_dlq_writes_total", "backend", "events")).isEqualTo(1.0);

            String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(GatewayHarness.eventually(Duration.ofSeconds(5), () -> backendEvents(log).size() == 1)).isTrue();
            JsonNode event = backendEvents(log).get(0);
            assertThat(event.get("event").asText()).isEqualTo("dead-letter");
            assertThat(event.get("backend").asText()).isEqualTo("events");
            assertThat(event.get("requestId").asText()).isEqualTo(requestId);
            assertThat(event.get("message").asText()).contains("blocked-dlq");
        }
    }

    static List<JsonNode> backendEvents(Path log) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                JsonNode event = GatewayHarness.json(line);
                if (event.get("type").asText().equals("backend")) {
                    lines.add(event);
                }
            }
        }
        return lines;
    }
}
