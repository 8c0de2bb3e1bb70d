package io.conduit.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.conduit.gateway.errors.GatewayException;
import io.conduit.gateway.queue.QueueMessage;
import io.conduit.gateway.queue.QueueRef;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** "Build a message and send it with retries", the one helper every queue write of a rule goes through. */
class QueueSendTest {
    @RegisterExtension
    static final StepHarness harness = new StepHarness();

    private static QueueRef send(RecordingQueueSink sink) throws Throwable {
        QueueSend send = new QueueSend(harness.vertx);
        return harness.run(data -> {
            long deadline = System.currentTimeMillis() + 5_000;
            QueueMessage message = QueueSend.envelope("orders", JsonNodeFactory.instance.objectNode().put("n", 1), data, deadline);
            return send.send(sink, message, data.exchange(), deadline);
        });
    }

    @Test
    void aGatewayBuiltMessageCarriesTheRequestAsItsOrigin() throws Throwable {
        RecordingQueueSink sink = new RecordingQueueSink();

        QueueRef ref = send(sink);

        assertThat(ref.queue()).isEqualTo("orders");
        QueueMessage message = sink.taken.get(0);
        assertThat(message.jobId()).isNull();
        assertThat(message.origin().requestId()).isEqualTo("req-1");
        assertThat(message.origin().contentType()).isEqualTo("application/json");
        assertThat(message.origin().tenant()).isNull();
        assertThat(message.origin().traceparent()).startsWith("00-");
    }

    @Test
    void transientFailuresAreRetriedAndCounted() throws Throwable {
        RecordingQueueSink sink = new RecordingQueueSink(Set.of(), 3);

        send(sink);

        assertThat(sink.attempts).hasSize(4);
        assertThat(sink.taken).hasSize(1);
        assertThat(harness.metrics.scrape()).contains("conduit_backend_retries_total{backend=\"jobs\"");
    }

    @Test
    void aSinkThatKeepsFailingFailsTheSendAfterItsAttempts() {
        RecordingQueueSink sink = new RecordingQueueSink(Set.of("orders"), 0);

        assertThatThrownBy(() -> send(sink)).isInstanceOf(GatewayException.class);
        assertThat(sink.attempts).hasSize(Retry.ATTEMPTS);
    }
}
