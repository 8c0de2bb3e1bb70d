package io.conduit.gateway.edge.limits;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The buckets of this replica, by key. Buckets that filled up again are forgotten now and then, so
 * keys such as client IPs cannot grow the map without bound.
 */
public final class LocalBuckets {
    static final int SWEEP_ABOVE = 10_000;
    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public Decision take(String key, double rate, double burst) {
        long now = System.nanoTime();
        if (buckets.size() > SWEEP_ABOVE) {
            buckets.entrySet().removeIf(e -> e.getValue().full(now));
        }
        return buckets.computeIfAbsent(key, k -> new TokenBucket(rate, burst, now)).take(now);
    }

    /** What taking a token would answer, without taking it; null when the key has no bucket (a full one). */
    public Decision peek(String key, double rate, double burst) {
        TokenBucket bucket = buckets.get(key);
        return bucket == null ? null : bucket.peek(System.nanoTime());
    }
}
