package io.conduit.gateway.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.conduit.config.ConfigJson;
import io.conduit.gateway.edge.ErrorCode;
import io.conduit.gateway.edge.GatewayException;
import java.time.Duration;

/**
 * The record a Redis backend keeps per idempotency key, written by the same script as the message:
 * {@code <body fingerprint>\n<attempt>\n<queueRef JSON>} with a PX ttl. The queueRef is rendered here
 * with placeholders for what only Redis knows (the counter id, the stream entry id); the script fills them in.
 */
final class IdempotencyRecord {
    static final String JOB_ID = "@@jobId@@";
    static final String MESSAGE_ID = "@@messageId@@";
    /** The gateway's own retries happen within one request; ten minutes outlives any request timeout. */
    static final Duration RETRY_KEY_TTL = Duration.ofMinutes(10);

    private IdempotencyRecord() {
    }

    static String template(QueueRef ref) {
        return ConfigJson.write(ref);
    }

    static long ttlMillis(IdempotencyKey key, long clientTtlMillis) {
        return key.fromClient() ? clientTtlMillis : RETRY_KEY_TTL.toMillis();
    }

    /**
     * The answer for a key already recorded: the first queueRef, marked a duplicate when a client
     * repeated itself (nothing was written now), unmarked when it was this message's own retry.
     */
    static QueueRef answer(IdempotencyKey key, String storedAttempt, String refJson) {
        QueueRef ref;
        try {
            ref = ConfigJson.MAPPER.readValue(refJson, QueueRef.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable idempotency record", e);
        }
        return key.attempt().equals(storedAttempt) ? ref : ref.asDuplicate();
    }

    static GatewayException conflict(IdempotencyKey key) {
        return new GatewayException(ErrorCode.CONFLICT, "idempotency key '" + key.value()
                + "' was already used with a different body; use a new key for a different request");
    }
}
