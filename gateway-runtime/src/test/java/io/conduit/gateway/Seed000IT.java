package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.testsupport.RedisServer;
import io.conduit.testsupport.TestServers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/seed-000/rules.yaml behaves as seed 000 describes, served with a local BlobBackend standing in for
 * {@code s3} and the test Redis as {@code bullmq} (BullMQ 5's layout, read back as a worker would).
 */
class Seed000IT {
    static final Path RULES = Path.of(System.getProperty("conduit.examples", "../examples"), "seed-000", "rules.yaml");

    @TempDir
    Path root;
    GatewayHarness gw;
    RedisProbe probe;
    String prefix;

    @BeforeEach
    void start() throws Exception {
        RedisServer redis = TestServers.redis();
        prefix = RedisProbe.uniquePrefix("seed000");
        String backends = """
                apiVersion: conduit.io/v1alpha1
                kind: BlobBackend
                metadata: {name: s3}
                spec:
                  type: local
                  local: {path: "%s"}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: seed}
                spec:
                  defaultQueueBackendRef: {name: bullmq}
                ---
                """.formatted(root.resolve("s3")) + RedisProbe.backendYaml("bullmq", redis, "bullmq", prefix);
        gw = GatewayHarness.start(root, backends + Files.readString(RULES));
        probe = new RedisProbe(redis);
    }

    @AfterEach
    void stop() {
        probe.close();
        gw.close();
    }

    HttpResponse<String> send(String method, String path, String json) throws Exception {
        return gw.send(HttpRequest.newBuilder(gw.uri(path)).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    List<JsonNode> jobs(String queue) throws Exception {
        List<String> ids = probe.sync().lrange(prefix + ":" + queue + ":wait", 0, -1);
        List<JsonNode> jobs = new java.util.ArrayList<>();
        for (String id : ids.reversed()) {
            jobs.add(GatewayHarness.json(probe.sync().hget(prefix + ":" + queue + ":" + id, "data")));
        }
        return jobs;
    }

    @Test
    void theWorkOrdersIdempotencyKeyIsTheJobIdAndARepeatIsStoredOnceWithOneEnvelope() throws Exception {
        String order = "{\"title\": \"Add dark mode\", \"idempotencyKey\": \"wo-1\", \"priority\": 2}";

        HttpResponse<String> first = send("POST", "/work-orders", order);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        JsonNode answer = GatewayHarness.json(first);
        assertThat(answer.get("accepted").asBoolean()).isTrue();
        JsonNode queueRef = answer.get("queueRef");
        assertThat(queueRef.get("jobId").asText()).isEqualTo("wo-1");
        assertThat(queueRef.get("queue").asText()).isEqualTo("work-orders");
        assertThat(queueRef.get("priority").asInt()).isEqualTo(2);
        assertThat(probe.sync().hget(prefix + ":work-orders:wo-1", "data")).isNotNull();

        HttpResponse<String> repeat = send("POST", "/work-orders", order);
        assertThat(repeat.statusCode()).isEqualTo(202);
        assertThat(GatewayHarness.json(repeat).get("queueRef")).isEqualTo(queueRef);
        assertThat(probe.sync().zcard(prefix + ":work-orders:prioritized")).as("stored once").isEqualTo(1);

        List<JsonNode> envelopes = jobs("agents/Monitor/inbox");
        assertThat(envelopes).as("no second envelope for the repeat").hasSize(1);
        assertThat(envelopes.getFirst().get("type").asText()).isEqualTo("work_queued");
        assertThat(envelopes.getFirst().at("/payload/queueRef")).isEqualTo(queueRef);
        assertThat(envelopes.getFirst().at("/payload/workOrder")).isEqualTo(GatewayHarness.json(order));

        assertThat(send("POST", "/work-orders", order.replace("dark", "light")).statusCode())
                .as("the same key with another body").isEqualTo(409);
    }

    @Test
    void anyMethodReachesTheNotificationRuleAndGetsTheDefault202() throws Exception {
        for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
            HttpResponse<String> response = send(method, "/notifications", "{\"via\": \"" + method + "\"}");
            assertThat(response.statusCode()).as(method + ": " + response.body()).isEqualTo(202);
            assertThat(GatewayHarness.json(response).at("/queueRef/queue").asText()).isEqualTo("notifications");
        }
        assertThat(jobs("notifications")).extracting(j -> j.get("via").asText()).containsExactly("POST", "PUT", "PATCH", "DELETE");
    }

    @Test
    void anUploadAnswersItsBlobRefAndSendsTheFileUploadedEnvelope() throws Exception {
        byte[] body = new Multipart().file("f", "mockup.png", "application/octet-stream",
                "not really a png".getBytes(StandardCharsets.UTF_8)).build();

        HttpResponse<String> response = gw.post("/upload", Multipart.contentType(), body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode blobRef = GatewayHarness.json(response).get("blobRef");
        assertThat(blobRef.get("sha256").asText()).hasSize(64);
        List<JsonNode> envelopes = jobs("agents/FileProcessor/inbox");
        assertThat(envelopes).hasSize(1);
        assertThat(envelopes.getFirst().get("type").asText()).isEqualTo("file_uploaded");
        assertThat(envelopes.getFirst().at("/payload/blobRef")).isEqualTo(blobRef);
    }
}
