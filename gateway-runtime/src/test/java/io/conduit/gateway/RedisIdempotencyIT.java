package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.testsupport.RedisServer;
import io.conduit.testsupport.TestServers;
import io.lettuce.core.AclSetuserArgs;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idempotency against a real Redis (BullMQ mode): the Idempotency-Key header or the rule's job id,
 * remembered with the body's fingerprint for the backend's ttl; plus credentials and input checks.
 */
class RedisIdempotencyIT {
    @TempDir
    static Path root;
    static RedisServer redis;
    static String prefix;
    static String aclUser;
    static GatewayHarness gw;
    static RedisProbe probe;

    @BeforeAll
    static void start() throws Exception {
        redis = TestServers.redis();
        prefix = RedisProbe.uniquePrefix("idem-it");
        probe = new RedisProbe(redis);
        // A user of our own with a password, so a backend with credentials can be checked without touching the default user.
        aclUser = prefix + "-user";
        probe.sync().aclSetuser(aclUser, AclSetuserArgs.Builder.on().addPassword("s3cret-pw").keyPattern(prefix + "*")
                .allCommands());
        String rules = RedisProbe.backendYaml("jobs", redis, "bullmq", prefix)
                + RedisProbe.backendYaml("brief", redis, "bullmq", prefix + "-brief", "", "idempotency: {ttl: 1s}")
                + RedisProbe.backendYaml("secured", redis, "bullmq", prefix + "-secured", "credentialsSecretRef: {name: redis-user}", "")
                + RedisProbe.backendYaml("wrong", redis, "bullmq", prefix + "-secured", "credentialsSecretRef: {name: redis-wrong}", "")
                + """
                apiVersion: v1
                kind: Secret
                metadata: {name: redis-user}
                stringData: {username: "%s", password: "s3cret-pw"}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: redis-wrong}
                stringData: {username: "%s", password: "not-the-password"}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: orders}
                spec:
                  when: {http: {method: POST, path: "/orders/{queue}"}}
                  send:
                    queue: {backendRef: {name: jobs}, queue: "{$path.queue}"}
                  onComplete:
                    enqueue: {backendRef: {name: jobs}, to: "{$path.queue}-monitor", envelope: {queueRef: $queueRef}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: keyed}
                spec:
                  when: {http: {method: POST, path: /keyed}}
                  send:
                    queue: {backendRef: {name: jobs}, queue: keyed, options: {jobId: "{$body.key}"}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: brief}
                spec:
                  when: {http: {method: POST, path: /brief}}
                  send:
                    queue: {backendRef: {name: brief}, queue: brief}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: named}
                spec:
                  when: {http: {method: POST, path: "/named/{queue}"}}
                  send:
                    queue: {backendRef: {name: jobs}, queue: "{$path.queue}"}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: secured}
                spec:
                  when: {http: {method: POST, path: /secured}}
                  send:
                    queue: {backendRef: {name: secured}, queue: vault}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: wrong}
                spec:
                  when: {http: {method: POST, path: /wrong}}
                  send:
                    queue: {backendRef: {name: wrong}, queue: vault}
                """.formatted(aclUser, aclUser);
        gw = GatewayHarness.start(root, rules);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
        if (probe != null) {
            probe.sync().aclDeluser(aclUser);
            probe.close();
        }
    }

    static HttpResponse<String> post(String path, String json, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gw.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return gw.send(request.build());
    }

    static JsonNode queued(String path, String json, String idempotencyKey) throws Exception {
        HttpResponse<String> response = post(path, json, idempotencyKey);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return GatewayHarness.json(response).get("queueRef");
    }

    static List<String> waiting(String queue) {
        return probe.sync().lrange(prefix + ":" + queue + ":wait", 0, -1);
    }

    @Test
    void theIdempotencyKeyNamesTheJobAndARepeatAnswersTheFirstReferenceWritingNothing() throws Exception {
        JsonNode first = queued("/orders/repeats", "{\"item\": \"book\"}", "order-abc");
        JsonNode second = queued("/orders/repeats", "{\"item\": \"book\"}", "order-abc");

        assertThat(first.get("jobId").asText()).isEqualTo("order-abc");
        assertThat(second).isEqualTo(first);
        assertThat(waiting("repeats")).containsExactly("order-abc");
        assertThat(waiting("repeats-monitor")).as("the repeat sends no second follow-up").hasSize(1);
        assertThat(probe.sync().pttl(prefix + ":repeats:conduit:idem:order-abc")).isPositive();
        // fingerprint, attempt, then the queueRef with the id in place: the layout every gateway version reads
        String[] record = probe.sync().get(prefix + ":repeats:conduit:idem:order-abc").split("\n", 3);
        assertThat(GatewayHarness.json(record[2])).isEqualTo(first);
    }

    @Test
    void keyOrderAndWhitespaceDoNotMakeADifferentBody() throws Exception {
        JsonNode first = queued("/orders/order", "{\"a\": 1, \"b\": {\"c\": [1, 2]}}", "order-order");
        JsonNode second = queued("/orders/order", "{ \"b\":{\"c\":[1,2]},\"a\":1 }", "order-order");
        assertThat(second).isEqualTo(first);
    }

    @Test
    void aDifferentBodyUnderTheSameKeyIsAConflictAndWritesNothing() throws Exception {
        queued("/orders/conflicts", "{\"item\": \"book\"}", "order-xyz");
        HttpResponse<String> response = post("/orders/conflicts", "{\"item\": \"lamp\"}", "order-xyz");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(GatewayHarness.json(response).at("/error/code").asText()).isEqualTo("conflict");
        assertThat(probe.sync().hget(prefix + ":conflicts:order-xyz", "data")).isEqualTo("{\"item\": \"book\"}");
    }

    @Test
    void theRulesJobIdIsAnIdempotencyKeyToo() throws Exception {
        JsonNode first = queued("/keyed", "{\"key\": \"k-1\", \"n\": 1}", null);
        assertThat(queued("/keyed", "{\"key\": \"k-1\", \"n\": 1}", null)).isEqualTo(first);
        assertThat(post("/keyed", "{\"key\": \"k-1\", \"n\": 2}", null).statusCode()).isEqualTo(409);
        assertThat(waiting("keyed")).containsExactly("k-1");
    }

    @Test
    void concurrentDuplicatesWriteOnceAndAllGetTheSameReference() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 16; i++) {
                sent.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return post("/orders/race", "{\"item\": \"race\"}", "order-race");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
        }
        List<JsonNode> refs = new ArrayList<>();
        for (var f : sent) {
            HttpResponse<String> response = f.get();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            refs.add(GatewayHarness.json(response).get("queueRef"));
        }
        assertThat(refs).allMatch(r -> r.equals(refs.getFirst()));
        assertThat(waiting("race")).containsExactly("order-race");
        assertThat(waiting("race-monitor")).as("one follow-up").hasSize(1);
        assertThat(probe.sync().get(prefix + ":race:id")).as("one add ran").isEqualTo("1");
    }

    @Test
    void withoutAKeyEveryRequestIsItsOwnJob() throws Exception {
        String a = queued("/named/plain", "{\"x\": 1}", null).get("jobId").asText();
        String b = queued("/named/plain", "{\"x\": 1}", null).get("jobId").asText();
        assertThat(a).isNotEqualTo(b);
        assertThat(waiting("plain")).containsExactly(b, a);
    }

    @Test
    void afterTheTtlTheBodyIsNoLongerComparedButTheJobIdStillDedupes() throws Exception {
        JsonNode first = queued("/brief", "{\"v\": 1}", "brief-1");
        Thread.sleep(1300);
        assertThat(probe.sync().exists(prefix + "-brief:brief:conduit:idem:brief-1")).isZero();

        JsonNode later = queued("/brief", "{\"v\": 2}", "brief-1");

        assertThat(later.get("jobId").asText()).isEqualTo("brief-1");
        assertThat(later.get("timestamp")).isEqualTo(first.get("timestamp"));
        assertThat(probe.sync().hget(prefix + "-brief:brief:brief-1", "data")).isEqualTo("{\"v\": 1}");
        assertThat(probe.sync().llen(prefix + "-brief:brief:wait")).isEqualTo(1);
    }

    @Test
    void unsafeKeysIntegerIdsAndColonsAreRefusedWith400() throws Exception {
        assertThat(post("/orders/refused", "{}", "has space").statusCode()).isEqualTo(400);
        HttpResponse<String> integer = post("/orders/refused", "{}", "12345");
        assertThat(integer.statusCode()).isEqualTo(400);
        assertThat(GatewayHarness.json(integer).at("/error/message").asText()).contains("integers");
        assertThat(post("/named/a:b", "{}", null).statusCode()).isEqualTo(400);
        assertThat(probe.sync().exists(prefix + ":refused:12345")).isZero();
    }

    @Test
    void credentialsFromASecretAreUsedAndWrongOnesAreA503() throws Exception {
        JsonNode ref = queued("/secured", "{\"secret\": true}", null);
        assertThat(probe.sync().llen(prefix + "-secured:vault:wait")).isEqualTo(1);
        assertThat(ref.get("backendName").asText()).isEqualTo("secured");

        long started = System.currentTimeMillis();
        HttpResponse<String> refused = post("/wrong", "{}", null);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).doesNotContain("not-the-password");
        assertThat(System.currentTimeMillis() - started).isLessThan(10_000);
    }
}
