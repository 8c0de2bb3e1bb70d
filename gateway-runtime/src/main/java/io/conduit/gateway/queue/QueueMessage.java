package io.conduit.gateway.queue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One message to queue, fully rendered. {@code jobId} is null when the store should make one up;
 * {@code options} holds only what the rule or backend set; {@code traceparent} and {@code tracestate} are
 * the request's W3C trace context (the client's, or one the gateway started). {@code idempotency} makes the send safe to repeat: the same key
 * (and body) writes once, whether the repeat is a client's or the gateway's own retry.
 */
public record QueueMessage(
        String queue,
        String jobId,
        String jobName,
        MessagePayload payload,
        JobOptions options,
        String requestId,
        String contentType,
        String tenant,
        String traceparent,
        String tracestate,
        IdempotencyKey idempotency) {

    public QueueMessage {
        if (payload == null) {
            payload = MessagePayload.of(null);
        }
        // No default: a made-up key's record must outlive the retries of the send, which only its caller knows.
        Objects.requireNonNull(idempotency, "idempotency");
    }

    /** A message whose payload the gateway built as a tree. */
    public QueueMessage(String queue, String jobId, String jobName, JsonNode payload, JobOptions options, String requestId,
                        String contentType, String tenant, String traceparent, String tracestate, IdempotencyKey idempotency) {
        this(queue, jobId, jobName, MessagePayload.of(payload), options, requestId, contentType, tenant, traceparent,
                tracestate, idempotency);
    }

    /** A message without a {@code tracestate}. */
    public QueueMessage(String queue, String jobId, String jobName, JsonNode payload, JobOptions options, String requestId,
                        String contentType, String tenant, String traceparent, IdempotencyKey idempotency) {
        this(queue, jobId, jobName, payload, options, requestId, contentType, tenant, traceparent, null, idempotency);
    }
}
