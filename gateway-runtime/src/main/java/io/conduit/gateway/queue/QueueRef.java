package io.conduit.gateway.queue;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The small reference a client gets for queued work (seed 000). {@code backend} is the store type
 * ({@code spool}, {@code bullmq}, {@code redis-streams}, {@code kafka}); {@code timestamp} is ISO-8601.
 * {@code stream} is the Redis key a streams-mode message was appended to, so a consumer knows what to read.
 * {@code duplicate} never leaves the gateway: it tells the rule not to repeat the follow-up of a repeat.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueueRef(
        String backend,
        String backendName,
        String jobId,
        String queue,
        String state,
        String timestamp,
        Integer priority,
        Integer partition,
        Long offset,
        String messageId,
        String stream,
        @JsonIgnore boolean duplicate) {

    /** A reference of a backend without streams. */
    public QueueRef(String backend, String backendName, String jobId, String queue, String state, String timestamp,
                    Integer priority, Integer partition, Long offset, String messageId, boolean duplicate) {
        this(backend, backendName, jobId, queue, state, timestamp, priority, partition, offset, messageId, null, duplicate);
    }

    /** The same reference with {@code id} wherever it held {@code placeholder} (the job id, the message id). */
    QueueRef withId(String placeholder, String id) {
        return new QueueRef(backend, backendName, placeholder.equals(jobId) ? id : jobId, queue, state, timestamp, priority,
                partition, offset, placeholder.equals(messageId) ? id : messageId, stream, duplicate);
    }

    QueueRef withTimestamp(String at) {
        return new QueueRef(backend, backendName, jobId, queue, state, at, priority, partition, offset, messageId, stream,
                duplicate);
    }

    /** The same reference, marked as answering a repeat (nothing was written this time). */
    public QueueRef asDuplicate() {
        return new QueueRef(backend, backendName, jobId, queue, state, timestamp, priority, partition, offset, messageId, stream,
                true);
    }
}
