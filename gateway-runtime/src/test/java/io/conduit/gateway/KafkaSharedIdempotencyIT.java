package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.testsupport.KafkaBroker;
import io.conduit.testsupport.RedisServer;
import io.conduit.testsupport.TestServers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway replicas with one kafka backend whose idempotency records live in a shared Redis: a repeat that
 * reaches the other replica writes nothing and answers the first queueRef, another body is 409 there too, and
 * duplicates racing through both replicas write one record.
 */
class KafkaSharedIdempotencyIT {
    @TempDir
    static Path root;
    static KafkaBroker kafka;
    static GatewayHarness a;
    static GatewayHarness b;
    static String topic;

    @BeforeAll
    static void start() throws Exception {
        kafka = TestServers.kafka();
        RedisServer redis = TestServers.redis();
        topic = KafkaRecords.uniqueTopic("payments");
        kafka.createTopic(topic, 2);
        String rules = """
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: payments}
                spec:
                  type: kafka
                  kafka:
                    bootstrapServers: "%s"
                    idempotencyRedis: {url: "%s", prefix: "%s"}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: payments}
                spec:
                  when: {http: {method: POST, path: /payments}}
                  send:
                    queue: {backendRef: {name: payments}, queue: "%s"}
                """.formatted(kafka.bootstrapServers(), redis.uri(), RedisProbe.uniquePrefix("kafka-idem"), topic);
        a = GatewayHarness.start(Files.createDirectories(root.resolve("a")), rules);
        b = GatewayHarness.start(Files.createDirectories(root.resolve("b")), rules);
    }

    @AfterAll
    static void stop() {
        for (GatewayHarness gw : new GatewayHarness[] {a, b}) {
            if (gw != null) {
                gw.close();
            }
        }
    }

    static HttpResponse<String> post(GatewayHarness gw, String json, String key) throws Exception {
        return gw.send(HttpRequest.newBuilder(gw.uri("/payments")).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static JsonNode queued(GatewayHarness gw, String json, String key) throws Exception {
        HttpResponse<String> response = post(gw, json, key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return GatewayHarness.json(response).get("queueRef");
    }

    static long copies(List<ConsumerRecord<String, String>> records, String jobId) {
        return records.stream().filter(r -> jobId.equals(KafkaRecords.headers(r).get("jobId"))).count();
    }

    @Test
    void aRepeatOnTheOtherReplicaWritesNothingAndAnotherBodyThereIsAConflict() throws Exception {
        JsonNode first = queued(a, "{\"amount\": 100, \"to\": \"acct-1\"}", "pay-1");
        JsonNode repeat = queued(b, "{\"to\": \"acct-1\", \"amount\": 100}", "pay-1");
        assertThat(repeat).isEqualTo(first);

        HttpResponse<String> conflict = post(b, "{\"amount\": 999, \"to\": \"acct-1\"}", "pay-1");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(GatewayHarness.json(conflict).at("/error/code").asText()).isEqualTo("conflict");

        JsonNode status = GatewayHarness.json(b.get("/v1/queues/payments/" + topic + "/jobs/pay-1"));
        assertThat(status.get("state").asText()).as("the other replica knows the job from the shared record").isEqualTo("stored");
        assertThat(status.get("messageId").asText()).isEqualTo(first.get("messageId").asText());

        assertThat(copies(KafkaRecords.read(kafka, topic, 1), "pay-1")).isEqualTo(1);
    }

    @Test
    void duplicatesRacingThroughBothReplicasWriteOneRecord() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<JsonNode>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                GatewayHarness gw = i % 2 == 0 ? a : b;
                answers.add(pool.submit((Callable<JsonNode>) () -> queued(gw, "{\"amount\": 5}", "pay-race")));
            }
            for (Future<JsonNode> answer : answers) {
                assertThat(answer.get()).isEqualTo(answers.getFirst().get());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(copies(KafkaRecords.read(kafka, topic, 1), "pay-race")).isEqualTo(1);
    }
}
