package io.conduit.gateway.queue;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What makes a repeated send recognisable. A client key (the {@code Idempotency-Key} header or the
 * rule's job id) is remembered for the backend's idempotency ttl together with the fingerprint of the
 * body, so a repeat with another body can be refused. Without one, the gateway still makes up a key
 * per message, so its own retries of a write whose answer was lost never store the message twice.
 * {@code attempt} is unique per message: a store that finds its own attempt in a record knows it is
 * looking at the gateway's retry, not at a client's repeat. {@code retriesEndMillis} (epoch millis) is when
 * the gateway stops retrying a made-up key's message, its request deadline: its record need not live much
 * longer (a client's key is kept for the backend's ttl instead, and has 0 here).
 */
public record IdempotencyKey(String value, String fingerprint, boolean fromClient, String attempt, long retriesEndMillis) {
    public static IdempotencyKey client(String value, String fingerprint) {
        return new IdempotencyKey(value, fingerprint, true, random(), 0);
    }

    /** A key of the gateway's own for a message retried until {@code deadlineMillis} (epoch millis). */
    public static IdempotencyKey forRetries(long deadlineMillis) {
        String attempt = random();
        return new IdempotencyKey(attempt, "", false, attempt, deadlineMillis);
    }

    /**
     * 128 random bits: unique, not secret (a client cannot name these records, only its own keys), so
     * the per-thread generator serves, without SecureRandom's lock and system calls on every message.
     */
    private static String random() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong());
    }
}
