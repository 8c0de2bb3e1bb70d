package io.conduit.gateway.queue.redis;

import io.conduit.gateway.queue.IdempotencyKey;
import io.conduit.gateway.queue.JobOptions;
import io.conduit.gateway.queue.QueueMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import io.conduit.api.v1alpha1.QueueBackendSpec;
import io.conduit.config.ConfigJson;
import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import org.junit.jupiter.api.Test;

/** The job hash fields written for a message, as Node's Queue.add writes them. */
class BullmqJobTest {
    static QueueMessage message(String jobId, JsonNode payload, JobOptions options) {
        return new QueueMessage("q", jobId, "send", payload, options, new QueueMessage.Origin("r", "application/json", null, null, null),
                IdempotencyKey.forRetries(System.currentTimeMillis() + 30_000));
    }

    static JsonNode opts(BullmqJob job) throws Exception {
        return ConfigJson.MAPPER.readTree(job.opts());
    }

    @Test
    void aPlainJobHasZeroAttemptsAndNothingElse() throws Exception {
        BullmqJob job = BullmqJob.of(message(null, JsonNodeFactory.instance.objectNode().put("a", 1), JobOptions.NONE));

        assertThat(job.data()).isEqualTo("{\"a\":1}");
        assertThat(opts(job)).isEqualTo(ConfigJson.MAPPER.readTree("{\"attempts\":0}"));
        assertThat(job.state()).isEqualTo("waiting");
        assertThat(job.customId()).isNull();
    }

    @Test
    void noPayloadIsAnEmptyObjectAsInNode() {
        assertThat(BullmqJob.of(message(null, NullNode.instance, JobOptions.NONE)).data()).isEqualTo("{}");
    }

    @Test
    void everyOptionIsWrittenUnderBullmqsName() throws Exception {
        JobOptions options = new JobOptions(3, 5000L, 4, new QueueBackendSpec.Backoff(QueueBackendSpec.BackoffType.exponential,
                1000L, 0.5), true, BooleanNode.TRUE, IntNode.valueOf(10), null);
        BullmqJob job = BullmqJob.of(message("order-1", JsonNodeFactory.instance.objectNode(), options));

        assertThat(opts(job)).isEqualTo(ConfigJson.MAPPER.readTree("""
                {"attempts": 4, "delay": 5000, "priority": 3, "lifo": true, "jobId": "order-1",
                 "backoff": {"type": "exponential", "delay": 1000, "jitter": 0.5},
                 "removeOnComplete": true, "removeOnFail": 10}"""));
        assertThat(job.state()).as("a delay wins over a priority").isEqualTo("delayed");
        assertThat(job.customId()).isEqualTo("order-1");
    }

    @Test
    void aBackoffWithoutDelayRetriesAtOnceRatherThanAfterNaNMilliseconds() throws Exception {
        JobOptions options = new JobOptions(null, null, 2, new QueueBackendSpec.Backoff(QueueBackendSpec.BackoffType.fixed, null,
                null), null, null, null, null);
        assertThat(opts(BullmqJob.of(message(null, NullNode.instance, options))).get("backoff"))
                .isEqualTo(ConfigJson.MAPPER.readTree("{\"type\": \"fixed\", \"delay\": 0}"));
    }

    @Test
    void outOfRangeOptionsAndIntegerIdsAreClientErrors() {
        assertBadRequest(message("12", NullNode.instance, JobOptions.NONE), "integers");
        assertBadRequest(message("a:b", NullNode.instance, JobOptions.NONE), "not allowed");
        assertBadRequest(message(null, NullNode.instance, new JobOptions(1 << 21, null, null, null, null, null, null, null)),
                "priority");
        assertBadRequest(message(null, NullNode.instance, new JobOptions(-1, null, null, null, null, null, null, null)), "priority");
        assertBadRequest(message(null, NullNode.instance, new JobOptions(null, -5L, null, null, null, null, null, null)), "delay");
        assertBadRequest(message(null, NullNode.instance, new JobOptions(null, null, -1, null, null, null, null, null)), "attempts");
    }

    @Test
    void theHighestPriorityBullmqAcceptsIsAccepted() {
        BullmqJob job = BullmqJob.of(message(null, NullNode.instance,
                new JobOptions(BullmqJob.PRIORITY_LIMIT, null, null, null, null, null, null, null)));
        assertThat(job.state()).isEqualTo("prioritized");
    }

    static void assertBadRequest(QueueMessage message, String mentioning) {
        assertThatThrownBy(() -> BullmqJob.of(message)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(e.getMessage()).contains(mentioning);
        });
    }

    @Test
    void theTraceContextIsBullmqsTelemetryMetadata() throws Exception {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        QueueMessage traced = new QueueMessage("q", null, "send", NullNode.instance, JobOptions.NONE,
                new QueueMessage.Origin("r", "application/json", null, traceparent, "vendor=1"), IdempotencyKey.forRetries(System.currentTimeMillis() + 30_000));

        JsonNode opts = opts(BullmqJob.of(traced));

        assertThat(opts.get("attempts").asInt()).isZero();
        assertThat(ConfigJson.MAPPER.readTree(opts.get("tm").asText())).isEqualTo(ConfigJson.MAPPER.readTree(
                "{\"traceparent\": \"" + traceparent + "\", \"tracestate\": \"vendor=1\"}"));
        assertThat(opts(BullmqJob.of(message(null, NullNode.instance, JobOptions.NONE))).has("tm"))
                .as("no trace context, no metadata").isFalse();
    }
}
