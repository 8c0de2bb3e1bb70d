package io.conduit.gateway.queue;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One message to queue, fully rendered. {@code jobId} is null when the store should make one up;
 * {@code options} holds only what the rule or backend set.
 */
public record QueueMessage(
        String queue,
        String jobId,
        String jobName,
        JsonNode payload,
        JobOptions options,
        String requestId,
        String contentType,
        String tenant) {
}
