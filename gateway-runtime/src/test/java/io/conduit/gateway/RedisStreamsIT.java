package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.testsupport.RedisServer;
import io.conduit.testsupport.TestServers;
import io.lettuce.core.Consumer;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streams mode: one XADD per message to {@code <prefix>:<queue>}, read back with XRANGE as a consumer would. */
class RedisStreamsIT {
    @TempDir
    static Path root;
    static RedisServer redis;
    static String prefix;
    /** A queue of its own for the backend with the default prefix, which every run shares. */
    static String plainQueue;
    static GatewayHarness gw;
    static RedisProbe probe;

    @BeforeAll
    static void start() throws Exception {
        redis = TestServers.redis();
        prefix = RedisProbe.uniquePrefix("streams-it");
        String rules = RedisProbe.backendYaml("events", redis, "streams", prefix)
                + RedisProbe.backendYaml("capped", redis, "streams", prefix + "-capped", "streamMaxLen: 10", "")
                + """
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: plain}
                spec:
                  type: redis
                  redis: {url: "%s", mode: streams}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: plain}
                spec:
                  when: {http: {method: POST, path: "/plain"}}
                  send:
                    queue: {backendRef: {name: plain}, queue: %s}
                ---
                """.formatted(redis.uri(), plainQueue = RedisProbe.uniquePrefix("signups"))
                + """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: events}
                spec:
                  when: {http: {method: POST, path: "/events/{queue}"}}
                  send:
                    queue:
                      backendRef: {name: events}
                      queue: "{$path.queue}"
                      jobName: user-event
                      message: {event: $body, source: $headers.X-Source}
                      options: {jobId: "{$body.eventId}"}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: capped}
                spec:
                  when: {http: {method: POST, path: "/capped"}}
                  send:
                    queue: {backendRef: {name: capped}, queue: ticks}
                """;
        gw = GatewayHarness.start(root, rules);
        probe = new RedisProbe(redis);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
        if (probe != null) {
            probe.close();
        }
    }

    static HttpResponse<String> post(String path, String json, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gw.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return gw.send(request.build());
    }

    static JsonNode queued(String path, String json, String... headers) throws Exception {
        HttpResponse<String> response = post(path, json, headers);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return GatewayHarness.json(response).get("queueRef");
    }

    static List<StreamMessage<String, String>> entries(String stream) {
        return probe.sync().xrange(stream, Range.create("-", "+"));
    }

    static JsonNode status(String queue, String id) throws Exception {
        HttpResponse<String> response = gw.get("/v1/queues/events/" + queue + "/jobs/" + id);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return GatewayHarness.json(response);
    }

    @Test
    void withoutAPrefixTheStreamIsConduitColonQueueAndTheQueueRefNamesIt() throws Exception {
        JsonNode ref = queued("/plain", "{\"user\": \"ada\"}");

        assertThat(ref.get("stream").asText()).isEqualTo("conduit:" + plainQueue);
        assertThat(entries("conduit:" + plainQueue)).hasSize(1);
        assertThat(probe.sync().exists("bull:" + plainQueue)).as("nothing in BullMQ's namespace").isZero();
        assertThat(queued("/events/named", "{}").get("stream").asText()).as("an explicit prefix still holds")
                .isEqualTo(prefix + ":named");
    }

    @Test
    void eachMessageIsOneEntryWithTheMessageAndItsMetadata() throws Exception {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        JsonNode ref = queued("/events/signups", "{\"user\": \"ada\", \"plan\": \"pro\"}", "X-Source", "web",
                "X-Request-Id", "req-streams-1", "traceparent", traceparent);

        assertThat(ref.get("backend").asText()).isEqualTo("redis-streams");
        assertThat(ref.get("backendName").asText()).isEqualTo("events");
        assertThat(ref.get("queue").asText()).isEqualTo("signups");
        assertThat(ref.get("messageId").asText()).matches("\\d+-\\d+");
        assertThat(ref.get("jobId").asText()).isEqualTo(ref.get("messageId").asText());
        List<StreamMessage<String, String>> entries = entries(prefix + ":signups");
        assertThat(entries).hasSize(1);
        StreamMessage<String, String> entry = entries.getFirst();
        assertThat(entry.getId()).isEqualTo(ref.get("messageId").asText());
        Map<String, String> fields = entry.getBody();
        assertThat(GatewayHarness.json(fields.get("message")))
                .isEqualTo(GatewayHarness.json("{\"event\": {\"user\": \"ada\", \"plan\": \"pro\"}, \"source\": \"web\"}"));
        assertThat(fields).containsEntry("name", "user-event")
                .containsEntry("requestId", "req-streams-1")
                .containsEntry("contentType", "application/json")
                .containsEntry("traceparent", traceparent)
                .containsKey("timestamp")
                .doesNotContainKeys("tenant", "jobId");
    }

    @Test
    void aCappedStreamIsTrimmedApproximately() throws Exception {
        for (int i = 0; i < 250; i++) {
            queued("/capped", "{\"n\": " + i + "}");
        }
        long length = probe.sync().xlen(prefix + "-capped:ticks");
        assertThat(length).as("MAXLEN ~ 10 trims whole nodes, so somewhat more than 10 remain").isBetween(10L, 249L);
        List<StreamMessage<String, String>> last = probe.sync().xrevrange(prefix + "-capped:ticks", Range.create("-", "+"),
                io.lettuce.core.Limit.from(1));
        assertThat(GatewayHarness.json(last.getFirst().getBody().get("message")).get("n").asInt()).isEqualTo(249);
    }

    @Test
    void statusFollowsTheEntryThroughAConsumerGroup() throws Exception {
        String stream = prefix + ":orders";
        String id = queued("/events/orders", "{\"order\": 1}").get("messageId").asText();
        assertThat(status("orders", id).get("state").asText()).isEqualTo("waiting");

        probe.sync().xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), "billing");
        JsonNode fresh = status("orders", id);
        assertThat(fresh.get("state").asText()).isEqualTo("waiting");
        assertThat(fresh.at("/groups/0/group").asText()).isEqualTo("billing");
        assertThat(fresh.at("/groups/0/state").asText()).isEqualTo("new");

        probe.sync().xreadgroup(Consumer.from("billing", "worker-1"), XReadArgs.StreamOffset.lastConsumed(stream));
        JsonNode pending = status("orders", id);
        assertThat(pending.get("state").asText()).isEqualTo("pending");
        assertThat(pending.at("/groups/0/consumer").asText()).isEqualTo("worker-1");
        assertThat(pending.at("/groups/0/deliveries").asLong()).isEqualTo(1);

        probe.sync().xack(stream, "billing", id);
        assertThat(status("orders", id).get("state").asText()).isEqualTo("acknowledged");

        assertThat(status("orders", "1-1").get("state").asText()).isEqualTo("unknown");
        assertThat(status("nothing-here", id).get("state").asText()).isEqualTo("unknown");
    }

    @Test
    void aCustomIdNamesTheJobAndARepeatAddsNothing() throws Exception {
        JsonNode first = queued("/events/clicks", "{\"eventId\": \"click-1\", \"x\": 1}");
        JsonNode again = queued("/events/clicks", "{\"x\": 1, \"eventId\": \"click-1\"}");

        assertThat(first.get("jobId").asText()).isEqualTo("click-1");
        assertThat(again).isEqualTo(first);
        assertThat(entries(prefix + ":clicks")).hasSize(1);
        assertThat(entries(prefix + ":clicks").getFirst().getBody()).containsEntry("jobId", "click-1");
        JsonNode status = status("clicks", "click-1");
        assertThat(status.get("state").asText()).isEqualTo("waiting");
        assertThat(status.get("messageId").asText()).isEqualTo(first.get("messageId").asText());

        HttpResponse<String> conflict = post("/events/clicks", "{\"eventId\": \"click-1\", \"x\": 2}");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(GatewayHarness.json(conflict).at("/error/code").asText()).isEqualTo("conflict");
        assertThat(entries(prefix + ":clicks")).hasSize(1);
    }
}
