package io.conduit.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.conduit.config.QueueBackendConfig;
import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import io.conduit.gateway.queue.QueueMessage;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The follow-up step: the envelope, else its dead letter, else a 503 that says the data is stored. */
class FollowUpTest {
    private static final QueueBackendConfig.JobDefaults NO_DEAD_LETTER =
            new QueueBackendConfig.JobDefaults(null, null, null, null, false, "-dlq");
    @RegisterExtension
    static final StepHarness harness = new StepHarness();

    private static JsonNode envelope() {
        return JsonNodeFactory.instance.objectNode().put("blobId", "b-1");
    }

    private static Void followUp(RecordingQueueSink sink, QueueBackendConfig.JobDefaults defaults) throws Throwable {
        FollowUp step = new FollowUp(new QueueSend(harness.vertx));
        return harness.run(data -> step.send(sink, defaults, "done", envelope(), data, System.currentTimeMillis() + 5_000));
    }

    @Test
    void theEnvelopeGoesToItsQueueAsJsonFromTheRequest() throws Throwable {
        RecordingQueueSink sink = new RecordingQueueSink();

        followUp(sink, QueueBackendConfig.JobDefaults.NONE);

        assertThat(sink.taken).singleElement().satisfies(m -> {
            assertThat(m.queue()).isEqualTo("done");
            assertThat(m.jobName()).isEqualTo("done");
            assertThat(m.payload().tree()).isEqualTo(envelope());
            assertThat(m.origin().requestId()).isEqualTo("req-1");
            assertThat(m.origin().contentType()).isEqualTo("application/json");
        });
    }

    @Test
    void aPassingFailureIsRetriedRatherThanDeadLettered() throws Throwable {
        RecordingQueueSink sink = new RecordingQueueSink(Set.of(), 2);

        followUp(sink, QueueBackendConfig.JobDefaults.NONE);

        assertThat(sink.attempts).hasSize(3);
        assertThat(sink.taken).extracting(QueueMessage::queue).containsExactly("done");
    }

    @Test
    void anEnvelopeItsQueueRefusesGoesToTheDeadLetterQueueWithTheError() throws Throwable {
        RecordingQueueSink sink = new RecordingQueueSink(Set.of("done"), 0);

        followUp(sink, QueueBackendConfig.JobDefaults.NONE);

        assertThat(sink.taken).singleElement().satisfies(m -> {
            assertThat(m.queue()).isEqualTo("done-dlq");
            assertThat(m.payload().tree().get("queue").asText()).isEqualTo("done");
            assertThat(m.payload().tree().get("requestId").asText()).isEqualTo("req-1");
            assertThat(m.payload().tree().get("error").asText()).contains("queue done is down");
            assertThat(m.payload().tree().get("envelope")).isEqualTo(envelope());
        });
        assertThat(harness.metrics.scrape()).contains("conduit_dlq_writes_total{backend=\"jobs\"}");
    }

    @Test
    void withoutADeadLetterQueueTheRequestFailsSayingTheDataIsStored() {
        RecordingQueueSink sink = new RecordingQueueSink(Set.of("done"), 0);

        assertThatThrownBy(() -> followUp(sink, NO_DEAD_LETTER))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
                    assertThat(e.getMessage()).isEqualTo("stored, but the follow-up envelope could not be queued to done");
                });
        assertThat(sink.taken).isEmpty();
    }

    @Test
    void whenTheDeadLetterQueueRefusesTooTheRequestFailsNamingBoth() {
        RecordingQueueSink sink = new RecordingQueueSink(Set.of("done", "done-dlq"), 0);

        assertThatThrownBy(() -> followUp(sink, QueueBackendConfig.JobDefaults.NONE))
                .isInstanceOf(GatewayException.class)
                .hasMessage("stored, but the follow-up envelope could not be queued to done nor to done-dlq");
    }
}
