package io.conduit.gateway.queue.kafka;

import io.conduit.gateway.queue.IdempotencyKey;
import io.conduit.gateway.queue.JobOptions;
import io.conduit.gateway.queue.QueueMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conduit.config.ConfigJson;
import io.conduit.gateway.errors.GatewayException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class KafkaQueueSinkTest {
    static QueueMessage message(JobOptions options, String tenant) throws Exception {
        return new QueueMessage("orders", "o-1", "order", ConfigJson.MAPPER.readTree("{\"a\": 1}"), options,
                new QueueMessage.Origin("req-1", "application/json", tenant, null, null), IdempotencyKey.forRetries(System.currentTimeMillis() + 30_000));
    }

    @Test
    void theKeyIsTheRenderedKeyTemplateElseTheJobId() throws Exception {
        JobOptions keyed = new JobOptions(null, null, null, null, null, null, null, "customer-9");
        assertThat(KafkaQueueSink.record("orders", "o-1", message(keyed, null)).key()).isEqualTo("customer-9");
        assertThat(KafkaQueueSink.record("orders", "o-1", message(JobOptions.NONE, null)).key()).isEqualTo("o-1");
        JobOptions emptyKey = new JobOptions(null, null, null, null, null, null, null, "");
        assertThat(KafkaQueueSink.record("orders", "o-1", message(emptyKey, null)).key()).as("an empty render is no key")
                .isEqualTo("o-1");
    }

    @Test
    void absentMetadataIsLeftOutOfTheHeadersRatherThanSentEmpty() throws Exception {
        ProducerRecord<String, byte[]> record = KafkaQueueSink.record("orders", "o-1", message(JobOptions.NONE, null));
        assertThat(record.headers().lastHeader("tenant")).isNull();
        assertThat(record.headers().lastHeader("traceparent")).isNull();
        assertThat(record.headers().lastHeader("options")).isNull();
        assertThat(new String(record.headers().lastHeader("requestId").value(), StandardCharsets.UTF_8)).isEqualTo("req-1");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");

        ProducerRecord<String, byte[]> tenant = KafkaQueueSink.record("orders", "o-1", message(JobOptions.NONE, "acme"));
        assertThat(new String(tenant.headers().lastHeader("tenant").value(), StandardCharsets.UTF_8)).isEqualTo("acme");
    }

    @Test
    void theW3cTraceContextTravelsAsHeaders() throws Exception {
        String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        QueueMessage traced = new QueueMessage("orders", "o-1", "order", ConfigJson.MAPPER.readTree("{}"), JobOptions.NONE,
                new QueueMessage.Origin("req-1", "application/json", null, parent, "vendor=abc"),
                IdempotencyKey.forRetries(System.currentTimeMillis() + 30_000));
        ProducerRecord<String, byte[]> record = KafkaQueueSink.record("orders", "o-1", traced);
        assertThat(new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8)).isEqualTo(parent);
        assertThat(new String(record.headers().lastHeader("tracestate").value(), StandardCharsets.UTF_8)).isEqualTo("vendor=abc");
    }

    @Test
    void onlyKafkaTopicNamesAreAccepted() {
        assertThat(KafkaQueueSink.topic("orders.v1_eu-west")).isEqualTo("orders.v1_eu-west");
        for (String bad : new String[] {"", "has space", "a/b", "..", "x".repeat(250), "ümlaut"}) {
            assertThatThrownBy(() -> KafkaQueueSink.topic(bad)).as(bad).isInstanceOf(GatewayException.class)
                    .satisfies(e -> assertThat(((GatewayException) e).code().status()).isEqualTo(400));
        }
    }
}
