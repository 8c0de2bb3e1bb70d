package io.conduit.gateway.queue;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * Idempotency records for a store that cannot keep them next to the message (Kafka): per scope (the topic) and
 * client key, the body fingerprint and the reference of the one write.
 */
public interface IdempotencyRecords extends AutoCloseable {

    /**
     * Runs {@code write} once per live key in {@code scope}. A repeat, or a concurrent duplicate, gets the same
     * reference, marked a duplicate unless it is the same attempt; another body under the key is a 409.
     * A failed write is forgotten, so it can be tried again.
     */
    Future<QueueRef> once(String scope, IdempotencyKey key, Supplier<Future<QueueRef>> write);

    /** The reference recorded for a key, or null if none is live. */
    Future<QueueRef> find(String scope, String keyValue);

    @Override
    default void close() {
        // Nothing held by default.
    }
}
