package io.conduit.gateway.queue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** What a store knows of one job: its state and, where the store keeps them, details. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobStatus(
        String backendName,
        String queue,
        String jobId,
        String state,
        Integer attemptsMade,
        JsonNode progress,
        JsonNode returnvalue,
        String failedReason) {

    public static JobStatus of(String backendName, String queue, String jobId, String state) {
        return new JobStatus(backendName, queue, jobId, state, null, null, null, null);
    }
}
