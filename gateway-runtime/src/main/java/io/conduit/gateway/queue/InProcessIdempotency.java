package io.conduit.gateway.queue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Idempotency records kept in this gateway process, for stores that cannot keep them next to the message (Kafka).
 * Within one process it gives what the Redis records give: a repeat within the ttl writes nothing and gets the first
 * reference, concurrent duplicates write once, another body under the same key is a conflict. It is weaker in three
 * ways, said in the docs: records are per replica (a repeat that lands on another pod writes again), they are lost on
 * restart, and at most {@code capacity} keys are remembered (the oldest are forgotten first).
 */
public final class InProcessIdempotency implements IdempotencyRecords {
    public static final int DEFAULT_CAPACITY = 100_000;

    private record Entry(String fingerprint, String attempt, Future<QueueRef> result, long expiresAt) {
    }

    private record Written(String id, Entry entry) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Insertion order, for expiry and the capacity bound. */
    private final Queue<Written> order = new ConcurrentLinkedQueue<>();
    private final AtomicInteger ordered = new AtomicInteger();
    private final long ttlMillis;
    private final int capacity;
    private final LongSupplier clock;

    public InProcessIdempotency(long ttlMillis, int capacity, LongSupplier clock) {
        this.ttlMillis = ttlMillis;
        this.capacity = capacity;
        this.clock = clock;
    }

    @Override
    public Future<QueueRef> once(String scope, IdempotencyKey key, Supplier<Future<QueueRef>> write) {
        long now = clock.getAsLong();
        forgetOld(now);
        String id = scope + "\n" + key.value();
        Promise<QueueRef> promise = Promise.promise();
        Entry mine = new Entry(key.fingerprint(), key.attempt(), promise.future(), now + ttlMillis);
        Entry current = entries.compute(id, (k, existing) ->
                existing != null && existing.expiresAt() > now && !existing.result().failed() ? existing : mine);
        if (current == mine) {
            order.add(new Written(id, mine));
            ordered.incrementAndGet();
            Future<QueueRef> written;
            try {
                written = write.get();
            } catch (RuntimeException e) {
                written = Future.failedFuture(e);
            }
            written.onComplete(ar -> {
                if (ar.failed()) {
                    entries.remove(id, mine);
                }
                promise.handle(ar);
            });
            return promise.future();
        }
        if (!current.fingerprint().equals(key.fingerprint())) {
            return Future.failedFuture(IdempotencyRecord.conflict(key));
        }
        return current.result().map(ref -> key.attempt().equals(current.attempt()) ? ref : ref.asDuplicate());
    }

    /** The reference recorded for a key, if it is live and its write succeeded. */
    @Override
    public Future<QueueRef> find(String scope, String keyValue) {
        Entry e = entries.get(scope + "\n" + keyValue);
        if (e == null || e.expiresAt() <= clock.getAsLong() || !e.result().succeeded()) {
            return Future.succeededFuture();
        }
        return e.result();
    }

    int size() {
        return entries.size();
    }

    private void forgetOld(long now) {
        while (true) {
            Written oldest = order.peek();
            if (oldest == null || (oldest.entry().expiresAt() > now && ordered.get() < capacity)) {
                return;
            }
            if (order.remove(oldest)) {
                ordered.decrementAndGet();
                entries.remove(oldest.id(), oldest.entry());
            }
        }
    }
}
