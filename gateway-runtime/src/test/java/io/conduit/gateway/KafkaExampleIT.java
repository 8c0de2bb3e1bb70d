package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.testsupport.KafkaBroker;
import io.conduit.testsupport.TestServers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/kafka as its README uses it, pointed at the test broker and at topics of its own. */
class KafkaExampleIT {
    static final Path EXAMPLE = Path.of(System.getProperty("conduit.examples", "../examples"), "kafka", "kafka.yaml");

    @TempDir
    Path root;

    HttpResponse<String> post(GatewayHarness gw, String json) throws Exception {
        return gw.send(HttpRequest.newBuilder(gw.uri("/orders")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    @Test
    void theExampleRunsAsItsReadmeSays() throws Exception {
        KafkaBroker kafka = TestServers.kafka();
        String orders = KafkaRecords.uniqueTopic("example-orders");
        String events = KafkaRecords.uniqueTopic("example-order-events");
        kafka.createTopic(orders, 3);
        kafka.createTopic(events, 1);
        kafka.createTopic(events + "-dlq", 1);
        String yaml = Files.readString(EXAMPLE)
                .replace("bootstrapServers: 127.0.0.1:9092", "bootstrapServers: \"" + kafka.bootstrapServers() + "\"")
                .replace("queue: orders", "queue: " + orders)
                .replace("to: order-events", "to: " + events);
        try (GatewayHarness gw = GatewayHarness.start(root, yaml)) {
            String order = "{\"orderId\": \"o-1001\", \"customerId\": \"c-7\", \"total\": 42}";
            HttpResponse<String> first = post(gw, order);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
            JsonNode ref = GatewayHarness.json(first).get("queueRef");
            assertThat(ref.get("backend").asText()).isEqualTo("kafka");
            assertThat(ref.get("jobId").asText()).isEqualTo("o-1001");
            assertThat(ref.get("offset").asLong()).isZero();
            assertThat(GatewayHarness.json(post(gw, order)).get("queueRef")).isEqualTo(ref);
            assertThat(post(gw, order.replace("42", "43")).statusCode()).isEqualTo(409);

            List<ConsumerRecord<String, String>> records = KafkaRecords.read(kafka, orders, 1);
            assertThat(records).hasSize(1);
            assertThat(records.getFirst().key()).isEqualTo("c-7");
            assertThat(records.getFirst().partition()).isEqualTo(ref.get("partition").asInt());
            assertThat(KafkaRecords.headers(records.getFirst())).containsEntry("name", "order-placed");

            List<ConsumerRecord<String, String>> envelopes = KafkaRecords.read(kafka, events, 1);
            assertThat(envelopes).as("one follow-up for the one order written").hasSize(1);
            JsonNode envelope = GatewayHarness.json(envelopes.getFirst().value());
            assertThat(envelope.get("type").asText()).isEqualTo("order_queued");
            assertThat(envelope.at("/payload/queueRef")).isEqualTo(ref);
        }
    }
}
