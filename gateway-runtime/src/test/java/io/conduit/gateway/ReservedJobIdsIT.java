package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.testsupport.RedisServer;
import io.conduit.testsupport.TestServers;
import io.lettuce.core.ScriptOutputType;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 21 item 2, as an attacker tries it: an {@code Idempotency-Key} (or a rendered job id) that names one
 * of the queue's own keys must be refused, the queue must keep working for a real BullMQ worker, and the add
 * script must refuse such an id even when the gateway's own check is bypassed.
 */
class ReservedJobIdsIT {
    @TempDir
    static Path root;
    static RedisServer redis;
    static String prefix;
    static GatewayHarness gw;
    static BullmqWorker worker;
    static RedisProbe probe;

    @BeforeAll
    static void start() throws Exception {
        redis = TestServers.redis();
        prefix = RedisProbe.uniquePrefix("reserved-it");
        String rules = RedisProbe.backendYaml("jobs", redis, "bullmq", prefix)
                + RedisProbe.backendYaml("stream", redis, "streams", prefix)
                + """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: jobs}
                spec:
                  when: {http: {method: POST, path: "/jobs/{queue}"}}
                  send:
                    queue: {backendRef: {name: jobs}, queue: "{$path.queue}", message: $body}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: named}
                spec:
                  when: {http: {method: POST, path: "/named/{queue}/{id}"}}
                  send:
                    queue: {backendRef: {name: jobs}, queue: "{$path.queue}", message: $body, options: {jobId: "{$path.id}"}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: stream}
                spec:
                  when: {http: {method: POST, path: "/stream/{queue}"}}
                  send:
                    queue: {backendRef: {name: stream}, queue: "{$path.queue}", message: $body}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: spool}
                spec:
                  when: {http: {method: POST, path: "/spool/{queue}"}}
                  send:
                    queue: {backendRef: {name: queues}, queue: "{$path.queue}", message: $body}
                """;
        gw = GatewayHarness.start(root, rules);
        worker = BullmqWorker.start(redis, root);
        probe = new RedisProbe(redis);
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (gw != null) {
            gw.close();
        }
        if (probe != null) {
            probe.close();
        }
    }

    static HttpResponse<String> post(String path, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gw.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}"));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return gw.send(request.build());
    }

    static void assertRefusedAsReserved(HttpResponse<String> response, String name) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = GatewayHarness.json(response);
        assertThat(error.path("error").path("message").asText(error.toString())).contains("'" + name + "'").contains("reserved");
    }

    @ParameterizedTest
    @ValueSource(strings = {"wait", "active", "meta", "id", "paused", "delayed", "prioritized", "completed", "failed",
            "events", "marker", "pc", "stalled", "stalled-check", "limiter", "repeat", "de", "waiting-children", "Wait"})
    void anIdempotencyKeyNamingOneOfTheQueuesOwnKeysIsRefusedAndTheQueueKeepsWorking(String name) throws Exception {
        String queue = "victim-" + name.toLowerCase();
        assertRefusedAsReserved(post("/jobs/" + queue, name), name);
        assertRefusedAsReserved(post("/named/" + queue + "/" + name, null), name);

        // Nothing was written over the queue's keys: every later add still works, and a real worker runs it.
        assertThat(probe.sync().type(prefix + ":" + queue + ":" + name)).isIn("none", "list", "zset", "string", "stream");
        HttpResponse<String> later = post("/jobs/" + queue, null);
        assertThat(later.statusCode()).as(later.body()).isEqualTo(202);
        String id = GatewayHarness.json(later).at("/queueRef/jobId").asText();
        worker.work(prefix, queue);
        worker.await(e -> e.path("event").asText().equals("completed") && e.path("queue").asText().equals(queue)
                && e.path("id").asText().equals(id), Duration.ofSeconds(20));
    }

    @Test
    void everyBackendRefusesTheReservedNamesAlike() throws Exception {
        assertRefusedAsReserved(post("/stream/orders", "meta"), "meta");
        assertRefusedAsReserved(post("/spool/orders", "wait"), "wait");
        assertThat(post("/stream/orders", "meta-1").statusCode()).isEqualTo(202);
        assertThat(post("/spool/orders", "wait-1").statusCode()).isEqualTo(202);
    }

    /** The add script itself, called as a gateway without the Java check (or an older one) would call it. */
    @Test
    void theAddScriptRefusesToWriteAJobOverAReservedOrNonHashKey() throws Exception {
        String queue = "script-victim";
        String base = prefix + ":" + queue + ":";
        probe.sync().lpush(base + "wait", "already-there");
        probe.sync().rpush(base + "future-bullmq-key", "x");

        assertThat(add(base, "wait")).containsExactly("reserved", "wait");
        assertThat(add(base, "marker")).containsExactly("reserved", "marker");
        assertThat(add(base, "future-bullmq-key")).containsExactly("reserved", "future-bullmq-key");
        assertThat(probe.sync().type(base + "wait")).isEqualTo("list");
        assertThat(probe.sync().type(base + "marker")).isEqualTo("none");
        assertThat(probe.sync().type(base + "future-bullmq-key")).isEqualTo("list");
        assertThat(probe.sync().get(base + "id")).as("a refused add is not counted").isNull();

        assertThat(add(base, "order-7")).containsExactly("added", "order-7");
        assertThat(probe.sync().type(base + "order-7")).isEqualTo("hash");
    }

    private static List<Object> add(String base, String jobId) throws Exception {
        String script;
        try (InputStream in = ReservedJobIdsIT.class.getResourceAsStream("/io/conduit/gateway/queue/redis/bullmq-add.lua")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String[] keys = List.of("wait", "paused", "meta", "id", "prioritized", "pc", "delayed", "marker", "events", "active",
                "conduit:idem:" + jobId).stream().map(k -> base + k).toArray(String[]::new);
        return probe.sync().eval(script, ScriptOutputType.MULTI, keys, base, jobId, "job",
                Long.toString(System.currentTimeMillis()), "{}", "{\"attempts\":0}", "0", "0", "", "fp", "attempt", "0", "");
    }
}
