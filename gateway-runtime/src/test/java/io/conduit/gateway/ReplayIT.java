package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Record a short session on one gateway, replay the record file to a second one with the jar's
 * replay command, and compare what reached the backends of each (spool queue, local blobs).
 */
class ReplayIT {
    static final String RULES = """
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: orders}
            spec:
              when: {http: {method: POST, path: /orders, contentType: application/json}}
              send:
                queue: {backendRef: {name: queues}, queue: orders, message: {order: $body, source: $headers.X-Source}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: upload}
            spec:
              when: {http: {method: POST, path: /upload}}
              send:
                blob: {backendRef: {name: blobs}}
            """;

    static String recording(Path file) {
        return """
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: edge}
                spec:
                  record: {enabled: true, path: "%s", maxBodySize: 1Ki, redactHeaders: [X-Secret]}
                ---
                """.formatted(file);
    }

    @TempDir
    Path root;

    @Test
    void aRecordedSessionReplayedToAnotherGatewayStoresTheSameData() throws Exception {
        Path record = root.resolve("a/record/session.jsonl");
        byte[] small = new byte[600];
        ThreadLocalRandom.current().nextBytes(small);
        String recordText;
        try (GatewayHarness a = GatewayHarness.start(root.resolve("a"), recording(record) + RULES)) {
            HttpResponse<String> order = a.send(HttpRequest.newBuilder(a.uri("/orders?channel=web"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer tok-recorded-never")
                    .header("X-Secret", "hush-hush")
                    .header("X-Source", "shop")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":1,\"items\":[\"a\"]}")).build());
            assertThat(order.statusCode()).isEqualTo(202);
            assertThat(a.send(HttpRequest.newBuilder(a.uri("/upload")).header("Content-Type", "application/octet-stream")
                    .header("X-Request-Id", "upload-1").POST(HttpRequest.BodyPublishers.ofByteArray(small)).build())
                    .statusCode()).isEqualTo(201);
            assertThat(a.post("/upload", "application/octet-stream", new byte[2048]).statusCode()).isEqualTo(201);
            assertThat(a.post("/orders", "application/json", "{not json".getBytes()).statusCode()).isEqualTo(400);
        }
        recordText = Files.readString(record);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : recordText.split("\n")) {
            lines.add(GatewayHarness.json(line));
        }
        assertThat(lines).hasSize(4);
        JsonNode first = lines.get(0);
        assertThat(first.get("type").asText()).isEqualTo("recorded");
        assertThat(first.get("uri").asText()).isEqualTo("/orders?channel=web");
        assertThat(first.get("status").asInt()).isEqualTo(202);
        assertThat(first.at("/headers/authorization/0").asText()).isEqualTo("[redacted]");
        assertThat(first.at("/headers/x-secret/0").asText()).isEqualTo("[redacted]");
        assertThat(first.at("/headers/x-source/0").asText()).isEqualTo("shop");
        assertThat(lines.get(2).get("truncated").asBoolean()).isTrue();
        assertThat(lines.get(2).get("bodySize").asLong()).isEqualTo(2048);
        assertThat(recordText).doesNotContain("tok-recorded-never").doesNotContain("hush-hush");

        try (GatewayHarness b = GatewayHarness.start(root.resolve("b"), RULES)) {
            Process replay = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
                    GatewayJarIT.JAR.toAbsolutePath().toString(), "replay", record.toString(),
                    "--target", "http://127.0.0.1:" + b.server.trafficPort())
                    .redirectErrorStream(true).start();
            String output = new String(replay.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(replay.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(replay.exitValue()).as(output).isZero();
            List<JsonNode> results = new ArrayList<>();
            for (String line : output.strip().split("\n")) {
                results.add(GatewayHarness.json(line));
            }
            assertThat(results).hasSize(5);
            assertThat(results.get(0).get("status").asInt()).isEqualTo(202);
            assertThat(results.get(1).get("status").asInt()).isEqualTo(201);
            assertThat(results.get(2).get("skipped").asText()).contains("record cap");
            assertThat(results.get(3).get("status").asInt()).isEqualTo(400);
            assertThat(results.get(4).get("sent").asInt()).isEqualTo(3);
            assertThat(results.get(4).get("skipped").asInt()).isEqualTo(1);

            // The same messages reached both queues (same request ids, same rendered messages, headers included).
            assertThat(queued(b.queues)).isEqualTo(queued(root.resolve("a/queues")));
            assertThat(queued(b.queues)).hasSize(1);
            JsonNode message = queued(b.queues).values().iterator().next();
            assertThat(message.at("/order/id").asInt()).isEqualTo(1);
            assertThat(message.get("source").asText()).isEqualTo("shop");
            // The replayed upload stored the same bytes.
            List<byte[]> blobsB = blobs(b.blobs);
            assertThat(blobsB).hasSize(1);
            assertThat(blobsB.get(0)).isEqualTo(small);
        }
    }

    @Test
    void replayingIntoTheGatewayThatRecordsToTheSameFileEnds() throws Exception {
        Path record = root.resolve("loop/record/session.jsonl");
        try (GatewayHarness gw = GatewayHarness.start(root.resolve("loop"), recording(record) + RULES)) {
            for (int i = 0; i < 3; i++) {
                assertThat(gw.post("/orders", "application/json", ("{\"id\":" + i + "}").getBytes()).statusCode()).isEqualTo(202);
            }
            assertThat(GatewayHarness.eventually(java.time.Duration.ofSeconds(10),
                    () -> Files.exists(record) && Files.readAllLines(record).size() == 3)).isTrue();
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            int exit = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                    () -> io.conduit.gateway.replay.Replay.run(new String[] {record.toString(), "--target",
                            "http://127.0.0.1:" + gw.server.trafficPort()}, new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                            new java.io.PrintStream(err, true, StandardCharsets.UTF_8)));
            List<String> results = out.toString(StandardCharsets.UTF_8).strip().lines().toList();
            assertThat(results).as(err.toString(StandardCharsets.UTF_8)).hasSize(4);
            assertThat(GatewayHarness.json(results.get(3)).get("sent").asInt()).isEqualTo(3);
            assertThat(exit).isZero();
            // The replayed requests were recorded too (the target records); replay said so and did not send them again.
            assertThat(GatewayHarness.eventually(java.time.Duration.ofSeconds(10), () -> Files.readAllLines(record).size() == 6)).isTrue();
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("grew by").contains("only the lines it held at the start");
        }
    }

    /** Messages of queue orders, keyed by the request id that sent them. */
    static Map<String, JsonNode> queued(Path spool) throws Exception {
        Map<String, JsonNode> messages = new TreeMap<>();
        Path dir = spool.resolve("orders/new");
        for (String file : GatewayHarness.files(dir)) {
            JsonNode job = GatewayHarness.json(Files.readString(dir.resolve(file)));
            messages.put(job.get("requestId").asText(), job.get("message"));
        }
        return messages;
    }

    static List<byte[]> blobs(Path dir) throws Exception {
        List<byte[]> contents = new ArrayList<>();
        for (String file : GatewayHarness.files(dir)) {
            if (!file.endsWith(".json") && !file.contains(".tmp") && !file.startsWith(".")) {
                contents.add(Files.readAllBytes(dir.resolve(file)));
            }
        }
        return contents;
    }
}
