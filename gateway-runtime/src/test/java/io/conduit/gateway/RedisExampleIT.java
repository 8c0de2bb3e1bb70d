package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.testsupport.RedisServer;
import io.conduit.testsupport.TestServers;
import io.lettuce.core.Range;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/redis as its README uses it, pointed at the test Redis instead of 127.0.0.1:6379. */
class RedisExampleIT {
    static final Path EXAMPLE = Path.of(System.getProperty("conduit.examples", "../examples"), "redis", "redis.yaml");

    @TempDir
    Path root;

    HttpResponse<String> post(GatewayHarness gw, String path, String json, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gw.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return gw.send(request.build());
    }

    @Test
    void theExampleRunsAsItsReadmeSays() throws Exception {
        RedisServer redis = TestServers.redis();
        String bull = RedisProbe.uniquePrefix("example-bull");
        String streams = RedisProbe.uniquePrefix("example-conduit");
        String yaml = Files.readString(EXAMPLE)
                .replace("redis://127.0.0.1:6379", redis.uri().toString())
                .replace("prefix: bull", "prefix: " + bull)
                .replace("prefix: conduit", "prefix: " + streams);
        try (GatewayHarness gw = GatewayHarness.start(root, yaml);
             BullmqWorker worker = BullmqWorker.start(redis, root);
             RedisProbe probe = new RedisProbe(redis)) {
            String order = "{\"title\": \"Add dark mode\", \"idempotencyKey\": \"wo-1\", \"priority\": 2}";
            HttpResponse<String> first = post(gw, "/work-orders", order);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
            assertThat(first.headers().firstValue("Location")).hasValue("/v1/queues/jobs/work-orders/jobs/wo-1");
            JsonNode ref = GatewayHarness.json(first).get("queueRef");
            assertThat(ref.get("backend").asText()).isEqualTo("bullmq");
            assertThat(ref.get("state").asText()).isEqualTo("prioritized");
            assertThat(GatewayHarness.json(post(gw, "/work-orders", order)).get("queueRef")).isEqualTo(ref);
            assertThat(post(gw, "/work-orders", order.replace("dark", "light")).statusCode()).isEqualTo(409);
            JsonNode second = GatewayHarness.json(post(gw, "/work-orders", "{\"title\": \"Fix login\"}", "Idempotency-Key", "wo-2"));
            assertThat(second.at("/queueRef/jobId").asText()).isEqualTo("wo-2");
            assertThat(probe.sync().llen(bull + ":agents/Monitor/inbox:wait")).as("one envelope per new order").isEqualTo(2);

            worker.work(bull, "work-orders");
            worker.await(e -> e.path("event").asText().equals("completed") && e.path("id").asText().equals("wo-1"),
                    Duration.ofSeconds(20));
            JsonNode status = GatewayHarness.json(gw.get("/v1/queues/jobs/work-orders/jobs/wo-1"));
            assertThat(status.get("state").asText()).isEqualTo("completed");
            assertThat(status.at("/returnvalue/echo/title").asText()).isEqualTo("Add dark mode");
            assertThat(worker.events("processing", "work-orders").getFirst().get("name").asText()).isEqualTo("create-order");
            assertThat(worker.events("processing", "work-orders").getFirst().at("/opts/attempts").asInt()).isEqualTo(3);

            HttpResponse<String> event = post(gw, "/events/click", "{\"page\": \"/pricing\"}");
            assertThat(event.statusCode()).as(event.body()).isEqualTo(202);
            assertThat(GatewayHarness.json(event).at("/queueRef/backend").asText()).isEqualTo("redis-streams");
            var entries = probe.sync().xrange(streams + ":events-click", Range.create("-", "+"));
            assertThat(entries).hasSize(1);
            assertThat(GatewayHarness.json(entries.getFirst().getBody().get("message")))
                    .isEqualTo(GatewayHarness.json("{\"kind\": \"click\", \"event\": {\"page\": \"/pricing\"}}"));
        }
    }
}
