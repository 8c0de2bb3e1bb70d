package io.conduit.gateway.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.conduit.config.ConfigJson;
import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import java.time.Duration;

/**
 * The record a Redis backend keeps per idempotency key, written by the same script as the message,
 * with a PX ttl. For a client's key it is {@code <body fingerprint>\n<attempt>\n<queueRef JSON>}: a
 * repeat may come from another request, even from another gateway version during a rollout, which
 * must get the first one's answer. The gateway renders the queueRef with a placeholder for what only
 * Redis knows (the counter id, the stream entry id); the script fills it in. The gateway's own retry
 * key, written for every message and read back only by the request that wrote it, keeps
 * {@code <fingerprint>\n<attempt>\n<id>\n<first attempt's timestamp>}: the rest of the answer is the
 * ref the retry is sending anyway, and the short record spares Redis the substitution.
 */
public final class IdempotencyRecord {
    public static final String JOB_ID = "@@jobId@@";
    public static final String MESSAGE_ID = "@@messageId@@";
    /**
     * How long a retry key's record outlives its request's deadline. The retries are all sent before the
     * deadline; the margin covers one that Redis runs late (queued behind a slow command, or sent just
     * before a reconnect). Kept short on purpose: one such record is written per message, so at a steady
     * rate Redis holds rate x (request timeout + margin) of them (with a fixed 10 minutes, 10,000 messages a
     * second kept 6 million records, about 1.5 GB).
     */
    public static final Duration RETRY_KEY_MARGIN = Duration.ofMinutes(1);

    private IdempotencyRecord() {
    }

    /** What the record keeps of {@code ref}: its JSON (placeholders and all) for a client's key, else its timestamp. */
    public static String kept(IdempotencyKey key, QueueRef ref) {
        return key.fromClient() ? ConfigJson.write(ref) : ref.timestamp();
    }

    /** A client's key is kept for the backend's ttl; the gateway's own until its request's retries are over. */
    public static long ttlMillis(IdempotencyKey key, long clientTtlMillis, long nowMillis) {
        return key.fromClient() ? clientTtlMillis
                : Math.max(0, key.retriesEndMillis() - nowMillis) + RETRY_KEY_MARGIN.toMillis();
    }

    /**
     * The answer for a key already recorded: the first queueRef, marked a duplicate when a client
     * repeated itself (nothing was written now), unmarked when it was this message's own retry.
     *
     * @param stored  the record after its attempt line
     * @param sending the ref this send would answer, with {@code placeholder} for the id
     */
    public static QueueRef answer(IdempotencyKey key, String storedAttempt, String stored, QueueRef sending, String placeholder) {
        QueueRef ref;
        if (stored.startsWith("{")) {
            ref = parse(stored);
        } else {
            int newline = stored.indexOf('\n');
            String id = newline < 0 ? stored : stored.substring(0, newline);
            String firstTimestamp = newline < 0 ? "" : stored.substring(newline + 1);
            ref = sending.withId(placeholder, id)
                    .withTimestamp(firstTimestamp.isEmpty() ? sending.timestamp() : firstTimestamp);
        }
        return key.attempt().equals(storedAttempt) ? ref : ref.asDuplicate();
    }

    /** The id a whole record value names (what the script wrote for the first message under the key). */
    public static String idOf(String record) {
        int first = record.indexOf('\n');
        int second = record.indexOf('\n', first + 1);
        String stored = record.substring(second + 1);
        if (stored.startsWith("{")) {
            QueueRef ref = parse(stored);
            return ref.messageId() != null ? ref.messageId() : ref.jobId();
        }
        int newline = stored.indexOf('\n');
        return newline < 0 ? stored : stored.substring(0, newline);
    }

    private static QueueRef parse(String json) {
        try {
            return ConfigJson.MAPPER.readValue(json, QueueRef.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable idempotency record", e);
        }
    }

    public static GatewayException conflict(IdempotencyKey key) {
        return new GatewayException(ErrorCode.CONFLICT, "idempotency key '" + key.value()
                + "' was already used with a different body; use a new key for a different request");
    }
}
