package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.testsupport.KafkaBroker;
import io.conduit.testsupport.TestServers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * The kafka queue backend against a real broker: what the gateway answers (queueRef with partition and offset) is
 * what a plain consumer reads back (key, headers, value), repeats are written once, and follow-ups that the broker
 * refuses go to {@code {queue}-dlq}.
 */
class KafkaQueueIT {
    @TempDir
    static Path root;
    static KafkaBroker kafka;
    static GatewayHarness gw;
    static String orders;
    static String audit;

    static String backendYaml(String name, KafkaBroker kafka, String producer) {
        return """
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: %s}
                spec:
                  type: kafka
                  kafka:
                    bootstrapServers: "%s"
                    producer: %s
                ---
                """.formatted(name, kafka.bootstrapServers(), producer);
    }

    @BeforeAll
    static void start() throws Exception {
        kafka = TestServers.kafka();
        orders = KafkaRecords.uniqueTopic("orders");
        audit = KafkaRecords.uniqueTopic("audit");
        kafka.createTopic(orders, 3);
        kafka.createTopic("by-customer-" + orders, 3);
        // Smaller than any record batch: the broker refuses every write, a fault no retry can fix.
        kafka.createTopic(audit, 1, Map.of("max.message.bytes", "64"));
        kafka.createTopic(audit + "-dlq", 1);
        String rules = backendYaml("events", kafka, "{lingerMs: 1, compression: lz4}") + """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: events}
                spec:
                  when: {http: {method: POST, path: "/events/{topic}"}}
                  send:
                    queue:
                      backendRef: {name: events}
                      queue: "{$path.topic}"
                      jobName: order-event
                      message: {order: $body, source: $headers.X-Source}
                      options: {jobId: "{$body.orderId}"}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: keyed}
                spec:
                  when: {http: {method: POST, path: "/keyed"}}
                  send:
                    queue:
                      backendRef: {name: events}
                      queue: "by-customer-%s"
                      options: {key: "{$body.customer}"}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: plain}
                spec:
                  when: {http: {method: POST, path: "/plain"}}
                  send:
                    queue: {backendRef: {name: events}, queue: "%s"}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: audited}
                spec:
                  when: {http: {method: POST, path: "/audited"}}
                  send:
                    queue: {backendRef: {name: events}, queue: "%s"}
                  onComplete:
                    enqueue:
                      backendRef: {name: events}
                      to: "%s"
                      envelope: {type: order_queued, queueRef: $queueRef, order: $body}
                """.formatted(orders, orders, orders, audit);
        gw = GatewayHarness.start(root, rules);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
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

    static ConsumerRecord<String, String> at(List<ConsumerRecord<String, String>> records, JsonNode ref) {
        return records.stream().filter(r -> r.partition() == ref.get("partition").asInt() && r.offset() == ref.get("offset").asLong())
                .findFirst().orElseThrow(() -> new AssertionError("no record at " + ref));
    }

    @Test
    void theRecordAtTheQueueRefsPartitionAndOffsetHasTheKeyHeadersAndMessage() throws Exception {
        String topic = KafkaRecords.uniqueTopic("signups");
        kafka.createTopic(topic, 2);
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        JsonNode ref = queued("/events/" + topic, "{\"orderId\": \"o-17\", \"total\": 42}", "X-Source", "web",
                "X-Request-Id", "req-kafka-1", "traceparent", traceparent);

        assertThat(ref.get("backend").asText()).isEqualTo("kafka");
        assertThat(ref.get("backendName").asText()).isEqualTo("events");
        assertThat(ref.get("queue").asText()).isEqualTo(topic);
        assertThat(ref.get("jobId").asText()).isEqualTo("o-17");
        assertThat(ref.get("messageId").asText()).isEqualTo(ref.get("partition").asInt() + "-" + ref.get("offset").asLong());

        List<ConsumerRecord<String, String>> records = KafkaRecords.read(kafka, topic, 1);
        assertThat(records).hasSize(1);
        ConsumerRecord<String, String> record = at(records, ref);
        assertThat(record.key()).as("the key defaults to the job id").isEqualTo("o-17");
        assertThat(GatewayHarness.json(record.value()))
                .isEqualTo(GatewayHarness.json("{\"order\": {\"orderId\": \"o-17\", \"total\": 42}, \"source\": \"web\"}"));
        assertThat(KafkaRecords.headers(record)).containsEntry("contentType", "application/json")
                .containsEntry("requestId", "req-kafka-1")
                .containsEntry("traceparent", traceparent)
                .containsEntry("jobId", "o-17")
                .containsEntry("name", "order-event")
                .doesNotContainKey("tenant");
    }

    @Test
    void theKeyTemplatePutsOneCustomersRecordsOnOnePartitionInOrder() throws Exception {
        List<JsonNode> refs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            refs.add(queued("/keyed", "{\"customer\": \"c-" + (i % 2) + "\", \"n\": " + i + "}"));
        }
        List<ConsumerRecord<String, String>> records = KafkaRecords.read(kafka, "by-customer-" + orders, 6);
        assertThat(records).hasSize(6);
        for (int i = 0; i < 6; i++) {
            ConsumerRecord<String, String> record = at(records, refs.get(i));
            assertThat(record.key()).isEqualTo("c-" + (i % 2));
            assertThat(GatewayHarness.json(record.value()).get("n").asInt()).isEqualTo(i);
            assertThat(refs.get(i).get("partition").asInt()).isEqualTo(refs.get(i % 2).get("partition").asInt());
        }
        assertThat(refs.get(4).get("offset").asLong()).isGreaterThan(refs.get(2).get("offset").asLong());
    }

    @Test
    void aRepeatedIdempotencyKeyIsWrittenOnceAndAnotherBodyUnderItIsAConflict() throws Exception {
        String body = "{\"item\": \"book\", \"qty\": 1}";
        JsonNode first = queued("/plain", body, "Idempotency-Key", "pay-7781");
        JsonNode again = queued("/plain", "{\"qty\": 1, \"item\": \"book\"}", "Idempotency-Key", "pay-7781");
        assertThat(again).isEqualTo(first);
        assertThat(first.get("jobId").asText()).isEqualTo("pay-7781");

        HttpResponse<String> conflict = post("/plain", "{\"item\": \"pen\", \"qty\": 1}", "Idempotency-Key", "pay-7781");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(GatewayHarness.json(conflict).at("/error/code").asText()).isEqualTo("conflict");

        // Concurrent duplicates of a fresh key: one write, one answer for all.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<JsonNode>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit((Callable<JsonNode>) () -> queued("/plain", "{\"item\": \"lamp\"}", "Idempotency-Key", "pay-9000")));
            }
            for (Future<JsonNode> a : answers) {
                assertThat(a.get()).isEqualTo(answers.getFirst().get());
            }
        } finally {
            pool.shutdown();
        }

        List<ConsumerRecord<String, String>> records = KafkaRecords.read(kafka, orders, 2);
        assertThat(records.stream().filter(r -> "pay-7781".equals(KafkaRecords.headers(r).get("jobId")))).hasSize(1);
        assertThat(records.stream().filter(r -> "pay-9000".equals(KafkaRecords.headers(r).get("jobId")))).hasSize(1);
        assertThat(GatewayHarness.json(at(records, first).value()).get("item").asText()).isEqualTo("book");

        JsonNode status = GatewayHarness.json(gw.get("/v1/queues/events/" + orders + "/jobs/pay-7781"));
        assertThat(status.get("state").asText()).isEqualTo("stored");
        assertThat(status.get("messageId").asText()).isEqualTo(first.get("messageId").asText());
        JsonNode unknown = GatewayHarness.json(gw.get("/v1/queues/events/" + orders + "/jobs/never-sent"));
        assertThat(unknown.get("state").asText()).isEqualTo("unknown");
    }

    @Test
    void aQueueThatIsNotATopicNameIsABadRequest() throws Exception {
        HttpResponse<String> response = post("/events/no%20spaces", "{\"orderId\": \"o-1\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(GatewayHarness.json(response).at("/error/code").asText()).isEqualTo("bad_request");
    }

    @Test
    void aFollowUpTheBrokerRefusesGoesToTheDeadLetterTopicWithTheError() throws Exception {
        JsonNode ref = queued("/audited", "{\"order\": \"o-55\"}", "X-Request-Id", "req-dlq-1");

        List<ConsumerRecord<String, String>> dead = KafkaRecords.read(kafka, audit + "-dlq", 1);
        assertThat(dead).hasSize(1);
        JsonNode letter = GatewayHarness.json(dead.getFirst().value());
        assertThat(letter.get("queue").asText()).isEqualTo(audit);
        assertThat(letter.get("requestId").asText()).isEqualTo("req-dlq-1");
        assertThat(letter.get("error").asText()).isNotBlank();
        assertThat(letter.at("/envelope/type").asText()).isEqualTo("order_queued");
        assertThat(letter.at("/envelope/queueRef")).isEqualTo(ref);
        assertThat(KafkaRecords.read(kafka, audit, 0)).as("nothing reached the refused topic").isEmpty();
    }
}
