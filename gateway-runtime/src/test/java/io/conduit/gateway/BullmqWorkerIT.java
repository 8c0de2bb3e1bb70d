package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.config.ConfigJson;
import io.conduit.testsupport.RedisServer;
import io.conduit.testsupport.TestServers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs the gateway queues in BullMQ mode, processed by a real, unmodified BullMQ 5 worker in Node:
 * what the worker sees is what {@code queue.add(name, data, opts)} would have given it.
 */
class BullmqWorkerIT {
    static final Duration WAIT = Duration.ofSeconds(20);

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
        prefix = RedisProbe.uniquePrefix("bullmq-it");
        String rules = RedisProbe.backendYaml("jobs", redis, "bullmq", prefix)
                + RedisProbe.backendYaml("tidy", redis, "bullmq", prefix, "",
                "jobDefaults: {removeOnComplete: true, removeOnFail: true}")
                + """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: jobs}
                spec:
                  when: {http: {method: POST, path: "/jobs/{queue}"}}
                  send:
                    queue:
                      backendRef: {name: jobs}
                      queue: "{$path.queue}"
                      jobName: send-email
                      message: $body.data
                      options:
                        jobId: "{$body.jobId}"
                        priority: $body.priority
                        delay: $body.delay
                        attempts: $body.attempts
                        backoff: {type: fixed, delay: 300}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: lifo}
                spec:
                  when: {http: {method: POST, path: "/lifo/{queue}"}}
                  send:
                    queue: {backendRef: {name: jobs}, queue: "{$path.queue}", message: $body.data, options: {lifo: true}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: tidy}
                spec:
                  when: {http: {method: POST, path: "/tidy/{queue}"}}
                  send:
                    queue: {backendRef: {name: tidy}, queue: "{$path.queue}", message: $body.data, options: {attempts: $body.attempts}}
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

    static HttpResponse<String> post(String path, Object body) throws Exception {
        return gw.send(HttpRequest.newBuilder(gw.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ConfigJson.write(body))).build());
    }

    static JsonNode queued(String path, Object body) throws Exception {
        HttpResponse<String> response = post(path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return GatewayHarness.json(response).get("queueRef");
    }

    static JsonNode status(String queue, String jobId) throws Exception {
        HttpResponse<String> response = gw.get("/v1/queues/jobs/" + queue + "/jobs/" + jobId);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return GatewayHarness.json(response);
    }

    static JsonNode completed(String queue, String id) throws Exception {
        return worker.await(e -> e.path("event").asText().equals("completed") && e.path("queue").asText().equals(queue)
                && e.path("id").asText().equals(id), WAIT);
    }

    static List<String> processedIds(String queue) {
        return worker.events("processing", queue).stream().map(e -> e.get("id").asText()).toList();
    }

    @Test
    void aJobRunsInARealWorkerWithItsNameAndDataAndItsStatusShowsTheResult() throws Exception {
        Map<String, Object> data = Map.of("to", "ada@example.com", "subject", "hello", "lines", List.of(1, 2, 3));
        JsonNode ref = queued("/jobs/emails", Map.of("data", data));
        assertThat(ref.get("backend").asText()).isEqualTo("bullmq");
        assertThat(ref.get("backendName").asText()).isEqualTo("jobs");
        assertThat(ref.get("queue").asText()).isEqualTo("emails");
        assertThat(ref.get("state").asText()).isEqualTo("waiting");
        String id = ref.get("jobId").asText();

        worker.work(prefix, "emails");
        completed("emails", id);

        JsonNode seen = worker.events("processing", "emails").getFirst();
        assertThat(seen.get("name").asText()).isEqualTo("send-email");
        assertThat(seen.get("data")).isEqualTo(ConfigJson.MAPPER.valueToTree(data));
        assertThat(seen.get("timestamp").asLong()).isEqualTo(java.time.Instant.parse(ref.get("timestamp").asText()).toEpochMilli());
        JsonNode status = status("emails", id);
        assertThat(status.get("state").asText()).isEqualTo("completed");
        assertThat(status.at("/returnvalue/processedBy").asText()).isEqualTo("bullmq-worker");
        assertThat(status.at("/returnvalue/echo")).isEqualTo(ConfigJson.MAPPER.valueToTree(data));
        assertThat(status.get("attemptsMade").asInt()).isEqualTo(1);
    }

    @Test
    void prioritizedJobsRunLowestPriorityFirstThenInArrivalOrder() throws Exception {
        int[] priorities = {5, 1, 3, 1, 2};
        String[] ids = new String[priorities.length];
        for (int i = 0; i < priorities.length; i++) {
            JsonNode ref = queued("/jobs/ranked", Map.of("data", Map.of("n", i), "priority", priorities[i]));
            assertThat(ref.get("state").asText()).isEqualTo("prioritized");
            assertThat(ref.get("priority").asInt()).isEqualTo(priorities[i]);
            ids[i] = ref.get("jobId").asText();
        }
        assertThat(status("ranked", ids[0]).get("state").asText()).isEqualTo("prioritized");

        worker.work(prefix, "ranked");
        completed("ranked", ids[0]);

        assertThat(processedIds("ranked")).containsExactly(ids[1], ids[3], ids[4], ids[2], ids[0]);
        assertThat(worker.events("processing", "ranked").getFirst().get("priority").asInt()).isEqualTo(1);
    }

    @Test
    void lifoJobsRunNewestFirst() throws Exception {
        String a = queued("/lifo/stack", Map.of("data", Map.of("n", 1))).get("jobId").asText();
        String b = queued("/lifo/stack", Map.of("data", Map.of("n", 2))).get("jobId").asText();
        String c = queued("/lifo/stack", Map.of("data", Map.of("n", 3))).get("jobId").asText();

        worker.work(prefix, "stack");
        completed("stack", a);

        assertThat(processedIds("stack")).containsExactly(c, b, a);
    }

    @Test
    void aDelayedJobRunsOnlyAfterItsDelay() throws Exception {
        worker.work(prefix, "later");
        JsonNode delayed = queued("/jobs/later", Map.of("data", Map.of("when", "later"), "delay", 1500));
        JsonNode now = queued("/jobs/later", Map.of("data", Map.of("when", "now")));
        assertThat(delayed.get("state").asText()).isEqualTo("delayed");
        assertThat(status("later", delayed.get("jobId").asText()).get("state").asText()).isEqualTo("delayed");

        completed("later", delayed.get("jobId").asText());

        assertThat(processedIds("later")).containsExactly(now.get("jobId").asText(), delayed.get("jobId").asText());
        JsonNode run = worker.events("processing", "later").get(1);
        assertThat(run.get("processedOn").asLong() - run.get("timestamp").asLong()).isGreaterThanOrEqualTo(1500);
        assertThat(run.at("/opts/delay").asLong()).isEqualTo(1500);
    }

    @Test
    void aBlockedWorkerIsWokenAtOnceByTheMarker() throws Exception {
        // A 30s drain delay: without the marker, an idle worker would not look again for 30 seconds.
        worker.work(prefix, "wake", "drainDelay", 30);
        Thread.sleep(1000);
        long sent = System.currentTimeMillis();
        String id = queued("/jobs/wake", Map.of("data", Map.of("x", 1))).get("jobId").asText();

        JsonNode done = completed("wake", id);

        assertThat(done.get("at").asLong() - sent).isLessThan(3000);
    }

    @Test
    void aRepeatedJobIdIsQueuedAndProcessedOnce() throws Exception {
        Map<String, Object> body = Map.of("jobId", "order-7", "data", Map.of("order", 7));
        JsonNode first = queued("/jobs/orders", body);
        JsonNode second = queued("/jobs/orders", body);
        assertThat(first.get("jobId").asText()).isEqualTo("order-7");
        assertThat(second).isEqualTo(first);

        worker.work(prefix, "orders");
        completed("orders", "order-7");
        // A job added after both requests runs after any copy of order-7: once it completed, a copy would have run.
        queued("/jobs/orders", Map.of("jobId", "order-8", "data", Map.of("order", 8)));
        completed("orders", "order-8");

        assertThat(processedIds("orders")).containsExactly("order-7", "order-8");
        assertThat(probe.sync().hget(prefix + ":orders:order-7", "opts")).contains("\"jobId\":\"order-7\"");
    }

    @Test
    void anIdAlreadyAddedByNodeIsANoOpAnsweredWithTheStoredJob() throws Exception {
        worker.command("add", "prefix", prefix, "queue", "shared", "name", "from-node", "data", Map.of("by", "node"),
                "opts", Map.of("jobId", "shared-1", "priority", 4));

        JsonNode ref = queued("/jobs/shared", Map.of("jobId", "shared-1", "data", Map.of("by", "gateway")));

        assertThat(ref.get("jobId").asText()).isEqualTo("shared-1");
        assertThat(ref.get("state").asText()).isEqualTo("prioritized");
        assertThat(ref.get("priority").asInt()).isEqualTo(4);
        assertThat(probe.sync().hget(prefix + ":shared:shared-1", "data")).isEqualTo("{\"by\":\"node\"}");
        assertThat(probe.sync().zcard(prefix + ":shared:prioritized")).isEqualTo(1);
    }

    @Test
    void aFailingJobIsRetriedAttemptsTimesWithTheBackoffThenSucceeds() throws Exception {
        String id = queued("/jobs/flaky", Map.of("data", Map.of("failTimes", 2), "attempts", 3)).get("jobId").asText();

        worker.work(prefix, "flaky");
        completed("flaky", id);

        List<JsonNode> runs = worker.events("processing", "flaky");
        assertThat(runs).hasSize(3);
        assertThat(runs.stream().map(r -> r.get("attemptsMade").asInt())).containsExactly(0, 1, 2);
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i).get("at").asLong() - runs.get(i - 1).get("at").asLong())
                    .as("fixed backoff of 300ms between attempts").isGreaterThanOrEqualTo(300);
        }
        JsonNode status = status("flaky", id);
        assertThat(status.get("state").asText()).isEqualTo("completed");
        assertThat(status.get("attemptsMade").asInt()).isEqualTo(3);
    }

    @Test
    void aJobThatKeepsFailingEndsFailedWithItsReason() throws Exception {
        String id = queued("/jobs/doomed", Map.of("data", Map.of("failAlways", true), "attempts", 2)).get("jobId").asText();

        worker.work(prefix, "doomed");
        worker.awaitCount(e -> e.path("event").asText().equals("failed") && e.path("queue").asText().equals("doomed"), 2, WAIT);

        JsonNode status = status("doomed", id);
        assertThat(status.get("state").asText()).isEqualTo("failed");
        assertThat(status.get("attemptsMade").asInt()).isEqualTo(2);
        assertThat(status.get("failedReason").asText()).isEqualTo("planned failure 2");
        assertThat(worker.events("processing", "doomed")).hasSize(2);
    }

    @Test
    void removeOnCompleteAndRemoveOnFailLeaveNoJobBehind() throws Exception {
        String ok = queued("/tidy/tidy", Map.of("data", Map.of("x", 1))).get("jobId").asText();
        String bad = queued("/tidy/tidy", Map.of("data", Map.of("failAlways", true))).get("jobId").asText();

        worker.work(prefix, "tidy");
        completed("tidy", ok);
        worker.await(e -> e.path("event").asText().equals("failed") && e.path("id").asText().equals(bad), WAIT);

        assertThat(probe.sync().exists(prefix + ":tidy:" + ok, prefix + ":tidy:" + bad)).isZero();
        assertThat(GatewayHarness.json(gw.get("/v1/queues/tidy/tidy/jobs/" + ok)).get("state").asText()).isEqualTo("unknown");
        assertThat(probe.sync().zcard(prefix + ":tidy:completed")).isZero();
    }

    @Test
    void aPausedQueueHoldsNewJobsUntilItIsResumed() throws Exception {
        worker.command("pause", "prefix", prefix, "queue", "held");
        worker.work(prefix, "held");

        String id = queued("/jobs/held", Map.of("data", Map.of("x", 1))).get("jobId").asText();
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(5), () -> probe.sync().lrange(prefix + ":held:paused", 0, -1)
                .equals(List.of(id)))).as("the job waits in the paused list").isTrue();
        // Watched, not slept on: the running worker must not take it, checked every 50 ms for a second.
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(1), () -> !processedIds("held").isEmpty()))
                .as("a paused queue's job was processed").isFalse();
        assertThat(status("held", id).get("state").asText()).isEqualTo("waiting");

        worker.command("resume", "prefix", prefix, "queue", "held");
        completed("held", id);
    }

    @Test
    void theJobHashMatchesWhatNodeQueueAddWrites() throws Exception {
        String nodePrefix = prefix + "-node";
        List<Map<String, Object>> cases = List.of(
                Map.of("data", Map.of("plain", true)),
                Map.of("data", Map.of("p", 2), "priority", 2),
                Map.of("data", Map.of("d", 1), "delay", 60_000),
                Map.of("data", Map.of("c", "x"), "jobId", "custom-1", "attempts", 3));
        for (Map<String, Object> c : cases) {
            String ours = queued("/jobs/same", c).get("jobId").asText();
            Map<String, String> ourHash = probe.sync().hgetall(prefix + ":same:" + ours);
            java.util.Map<String, Object> opts = new java.util.HashMap<>(Map.of("backoff", Map.of("type", "fixed", "delay", 300)));
            // The trace context the gateway started, given to Node as BullMQ's own telemetry metadata.
            opts.put("telemetry", Map.of("metadata", GatewayHarness.json(ourHash.get("opts")).get("tm").asText()));
            for (String o : List.of("priority", "delay", "jobId", "attempts")) {
                if (c.containsKey(o)) {
                    opts.put(o, c.get(o));
                }
            }
            String theirs = worker.command("add", "prefix", nodePrefix, "queue", "same", "name", "send-email",
                    "data", c.get("data"), "opts", opts).get("jobId").asText();
            assertThat(ours).as("ids").isEqualTo(theirs);

            Map<String, String> theirHash = probe.sync().hgetall(nodePrefix + ":same:" + theirs);
            assertThat(ourHash.keySet()).isEqualTo(theirHash.keySet());
            for (String field : List.of("name", "data", "delay", "priority")) {
                assertThat(ourHash.get(field)).as(field + " of " + c).isEqualTo(theirHash.get(field));
            }
            assertThat(GatewayHarness.json(ourHash.get("opts"))).as("opts of " + c).isEqualTo(GatewayHarness.json(theirHash.get("opts")));
        }
        for (String key : List.of("wait", "prioritized", "delayed", "marker", "id", "pc")) {
            String type = probe.sync().type(prefix + ":same:" + key);
            assertThat(type).as(key).isEqualTo(probe.sync().type(nodePrefix + ":same:" + key));
            switch (type) {
                case "list" -> assertThat(probe.sync().lrange(prefix + ":same:" + key, 0, -1))
                        .isEqualTo(probe.sync().lrange(nodePrefix + ":same:" + key, 0, -1));
                case "zset" -> assertThat(probe.sync().zrange(prefix + ":same:" + key, 0, -1)).as(key)
                        .isEqualTo(probe.sync().zrange(nodePrefix + ":same:" + key, 0, -1));
                default -> assertThat(probe.sync().get(prefix + ":same:" + key)).as(key)
                        .isEqualTo(probe.sync().get(nodePrefix + ":same:" + key));
            }
        }
        List<String> ourEvents = probe.sync().xrange(prefix + ":same:events", io.lettuce.core.Range.create("-", "+"))
                .stream().map(m -> m.getBody().get("event")).toList();
        List<String> theirEvents = probe.sync().xrange(nodePrefix + ":same:events", io.lettuce.core.Range.create("-", "+"))
                .stream().map(m -> m.getBody().get("event")).toList();
        assertThat(ourEvents).isEqualTo(theirEvents);
    }

    @Test
    void theRequestsTraceContextReachesTheWorkerAsBullmqTelemetryMetadata() throws Exception {
        worker.work(prefix, "traced");
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        HttpResponse<String> response = gw.send(HttpRequest.newBuilder(gw.uri("/jobs/traced"))
                .header("Content-Type", "application/json").header("traceparent", traceparent).header("tracestate", "congo=t61rcWkgMzE")
                .POST(HttpRequest.BodyPublishers.ofString(ConfigJson.write(Map.of("data", Map.of("x", 1))))).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String id = GatewayHarness.json(response).at("/queueRef/jobId").asText();

        completed("traced", id);
        JsonNode run = worker.events("processing", "traced").get(0);
        JsonNode carrier = GatewayHarness.json(run.at("/opts/telemetry/metadata").asText());
        assertThat(carrier.get("traceparent").asText()).isEqualTo(traceparent);
        assertThat(carrier.get("tracestate").asText()).isEqualTo("congo=t61rcWkgMzE");
        assertThat(run.at("/data/x").asInt()).as("the job's data is the message alone").isEqualTo(1);
        assertThat(run.get("data").has("traceparent")).isFalse();
    }
}
