package io.conduit.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.gateway.edge.logging.Exchange;
import io.conduit.gateway.queue.IdempotencyKey;
import io.conduit.gateway.queue.JobOptions;
import io.conduit.gateway.queue.QueueMessage;
import io.conduit.gateway.queue.QueueRef;
import io.conduit.gateway.queue.QueueSink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Sends one message to a queue sink, retried with backoff until the request's deadline: each attempt
 * timed, each retry counted. The one way a rule's run queues anything (its message, its follow-up, a dead letter).
 */
final class QueueSend {
    private final Vertx vertx;

    QueueSend(Vertx vertx) {
        this.vertx = vertx;
    }

    Future<QueueRef> send(QueueSink sink, QueueMessage message, Exchange exchange, long deadline) {
        return Retry.withBackoff(vertx, deadline, () -> exchange.timedWrite(sink.name(), "queue", () -> sink.send(message)),
                () -> exchange.metrics().retry(sink.name()));
    }

    /** The request a message of {@code contentType} comes from. */
    static QueueMessage.Origin origin(RequestData data, String contentType) {
        Exchange exchange = data.exchange();
        return new QueueMessage.Origin(data.requestId(), contentType, data.tenant(), exchange.trace().traceparent(),
                exchange.trace().tracestate());
    }

    /** A JSON message the gateway built itself (a follow-up envelope, a dead letter): named after its queue, no options. */
    static QueueMessage envelope(String queue, JsonNode payload, RequestData data, long deadline) {
        return new QueueMessage(queue, null, queue, payload, JobOptions.NONE, origin(data, "application/json"),
                IdempotencyKey.forRetries(deadline));
    }
}
