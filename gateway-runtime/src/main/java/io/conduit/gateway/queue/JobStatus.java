package io.conduit.gateway.queue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a store knows of one job: its state and, where the store keeps them, details. BullMQ jobs
 * carry attempts, progress, return value and failure reason; stream entries their consumer groups.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobStatus(
        String backendName,
        String queue,
        String jobId,
        String state,
        Integer attemptsMade,
        JsonNode progress,
        JsonNode returnvalue,
        String failedReason,
        String messageId,
        List<GroupState> groups) {

    public static JobStatus of(String backendName, String queue, String jobId, String state) {
        return new JobStatus(backendName, queue, jobId, state, null, null, null, null, null, null);
    }

    /** Where one consumer group stands with a stream entry: {@code pending} (with its consumer), {@code acknowledged} or {@code new}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GroupState(String group, String state, String consumer, Long deliveries) {
    }
}
