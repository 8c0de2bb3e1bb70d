package io.conduit.gateway.queue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One message to queue, fully rendered. {@code jobId} is null when the store should make one up;
 * {@code options} holds only what the rule or backend set; {@code origin} is the request it came from.
 * {@code idempotency} makes the send safe to repeat: the same key (and body) writes once, whether the
 * repeat is a client's or the gateway's own retry.
 */
public record QueueMessage(
        String queue,
        String jobId,
        String jobName,
        MessagePayload payload,
        JobOptions options,
        Origin origin,
        IdempotencyKey idempotency) {

    /**
     * The request a message came from, as stores pass it on beside the payload: its id, the body's content
     * type, the caller's tenant (null if anonymous) and its W3C trace context ({@code traceparent} the
     * client's or one the gateway started; {@code tracestate} null when there is none).
     */
    public record Origin(String requestId, String contentType, String tenant, String traceparent, String tracestate) {
    }

    public QueueMessage {
        if (payload == null) {
            payload = MessagePayload.of(null);
        }
        Objects.requireNonNull(origin, "origin");
        // No default: a made-up key's record must outlive the retries of the send, which only its caller knows.
        Objects.requireNonNull(idempotency, "idempotency");
    }

    /** A message whose payload the gateway built as a tree. */
    public QueueMessage(String queue, String jobId, String jobName, JsonNode payload, JobOptions options, Origin origin,
                        IdempotencyKey idempotency) {
        this(queue, jobId, jobName, MessagePayload.of(payload), options, origin, idempotency);
    }
}
