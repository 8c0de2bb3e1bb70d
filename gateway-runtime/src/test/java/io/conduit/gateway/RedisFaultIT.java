package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.testsupport.Needs;
import io.conduit.testsupport.RedisServer;
import io.conduit.testsupport.TestServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis going away, hanging and coming back, on a Redis of this test's own: the gateway answers 503
 * with Retry-After within the request timeout, never hangs, and every request it answered 2xx is in
 * Redis exactly once afterwards.
 */
class RedisFaultIT {
    static final long REQUEST_TIMEOUT_MILLIS = 3000;

    @TempDir
    Path root;
    RedisServer redis;
    GatewayHarness gw;
    String prefix;

    /** One request's outcome, as the client saw it. */
    record Outcome(int n, int status, String jobId, long millis, boolean retryAfter) {
    }

    @BeforeEach
    void start() throws Exception {
        redis = TestServers.newRedis();
        Needs.require(redis.restartable(), "a Redis this JVM can stop and start", Needs.ownServer(RedisServer.ENV_VAR));
        prefix = RedisProbe.uniquePrefix("fault-it");
        // Keep data across stop/start: SIGTERM makes a Redis with a save point write its RDB, read back on start.
        try (RedisProbe probe = new RedisProbe(redis)) {
            probe.sync().configSet("save", "3600 1");
        }
    }

    void startGateway() throws Exception {
        gw = GatewayHarness.start(root, """
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: edge}
                spec:
                  limits: {requestTimeout: 3s}
                ---
                """ + RedisProbe.backendYaml("jobs", redis, "bullmq", prefix) + """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: jobs}
                spec:
                  when: {http: {method: POST, path: /jobs}}
                  send:
                    queue: {backendRef: {name: jobs}, queue: load}
                """);
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    Outcome post(int n) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = gw.send(HttpRequest.newBuilder(gw.uri("/jobs")).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"n\": " + n + "}"))
                .build());
        long millis = (System.nanoTime() - started) / 1_000_000;
        String jobId = response.statusCode() == 202 ? GatewayHarness.json(response).at("/queueRef/jobId").asText() : null;
        return new Outcome(n, response.statusCode(), jobId, millis, response.headers().firstValue("Retry-After").isPresent());
    }

    /** Job id to the request number stored in it, for every job in the wait list; fails on a job listed twice. */
    Map<String, Integer> storedJobs() throws Exception {
        try (RedisProbe probe = new RedisProbe(redis)) {
            List<String> ids = probe.sync().lrange(prefix + ":load:wait", 0, -1);
            assertThat(ids).as("no job id listed twice").doesNotHaveDuplicates();
            Map<String, Integer> jobs = new HashMap<>();
            for (String id : ids) {
                jobs.put(id, GatewayHarness.json(probe.sync().hget(prefix + ":load:" + id, "data")).get("n").asInt());
            }
            return jobs;
        }
    }

    @Test
    void aRedisThatGoesAwayGives503sInTimeAndEveryAcceptedRequestIsStoredExactlyOnce() throws Exception {
        startGateway();
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            clients.add(Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    try {
                        outcomes.add(post(next.incrementAndGet()));
                        Thread.sleep(10);
                    } catch (Exception e) {
                        throw new IllegalStateException("a request failed without an answer (hang or reset)", e);
                    }
                }
            }));
        }
        Thread.sleep(1000);
        redis.stop();
        Thread.sleep(2500);
        redis.start();
        Thread.sleep(3000);
        running.set(false);
        for (Thread c : clients) {
            c.join(30_000);
        }
        assertThat(next.get()).as("every client thread ended with an answer").isEqualTo(outcomes.size());

        List<Outcome> accepted = outcomes.stream().filter(o -> o.status() == 202).toList();
        List<Outcome> refused = outcomes.stream().filter(o -> o.status() != 202).toList();
        assertThat(refused).as("Redis was down for 2.5s").isNotEmpty();
        assertThat(refused).allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(503);
            assertThat(o.retryAfter()).isTrue();
            assertThat(o.millis()).isLessThan(REQUEST_TIMEOUT_MILLIS + 1000);
        });
        int lastRefused = refused.stream().mapToInt(Outcome::n).max().orElseThrow();
        assertThat(accepted.stream().filter(o -> o.n() > lastRefused)).as("requests succeed again once Redis is back")
                .isNotEmpty();

        Map<String, Integer> stored = storedJobs();
        for (Outcome o : accepted) {
            assertThat(stored.get(o.jobId())).as("job " + o.jobId() + " of request " + o.n()).isEqualTo(o.n());
        }
        assertThat(stored.values()).as("no request stored twice").doesNotHaveDuplicates();
    }

    @Test
    void aHungRedisGives503WithinTheRequestTimeoutNotAHang() throws Exception {
        startGateway();
        assertThat(post(1).status()).isEqualTo(202);
        RedisClient client = RedisClient.create(redis.uri().toString());
        try (StatefulRedisConnection<String, String> blocker = client.connect()) {
            // A script that keeps Redis busy for 9s: every other command waits, as with a stalled server. Long
            // enough that both calls below (each bounded by the request timeout) meet it even on a loaded machine.
            var busy = blocker.async().eval("local s = redis.call('TIME') repeat local t = redis.call('TIME') "
                    + "until (t[1] - s[1]) * 1000000 + (t[2] - s[2]) > 9000000 return 1", ScriptOutputType.INTEGER);
            Thread.sleep(200);

            Outcome hung = post(2);
            HttpResponse<String> status = gw.get("/v1/queues/jobs/load/jobs/1");

            assertThat(hung.status()).isEqualTo(503);
            assertThat(hung.retryAfter()).isTrue();
            assertThat(hung.millis()).isLessThan(REQUEST_TIMEOUT_MILLIS + 1000);
            assertThat(status.statusCode()).isEqualTo(503);
            busy.get();
        } finally {
            client.shutdown();
        }
        Outcome after = post(3);
        assertThat(after.status()).isEqualTo(202);
        Map<String, Integer> stored = storedJobs();
        assertThat(stored.values()).as("a 503 may still have been written late, but never twice").doesNotHaveDuplicates()
                .contains(1, 3);
    }

    @Test
    void aGatewayStartedWhileRedisIsDownServesOnceRedisIsUp() throws Exception {
        redis.stop();
        startGateway();

        Outcome down = post(1);
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.millis()).isLessThan(REQUEST_TIMEOUT_MILLIS + 1000);

        redis.start();
        Outcome up = null;
        long end = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < end) {
            up = post(2);
            if (up.status() == 202) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(up.status()).isEqualTo(202);
        JsonNode status = GatewayHarness.json(gw.get("/v1/queues/jobs/load/jobs/" + up.jobId()));
        assertThat(status.get("state").asText()).isEqualTo("waiting");
    }
}
