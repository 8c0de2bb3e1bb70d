package io.conduit.gateway.edge.limits;

/** A token bucket in this replica: {@code burst} tokens, refilled at {@code rate} per second. */
final class TokenBucket {
    private final double rate;
    private final double burst;
    private double tokens;
    private long lastNanos;

    TokenBucket(double rate, double burst, long nowNanos) {
        this.rate = rate;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    synchronized Decision take(long nowNanos) {
        refill(nowNanos);
        boolean allowed = tokens >= 1;
        if (allowed) {
            tokens -= 1;
        }
        return decision(allowed);
    }

    /** Whether a token could be taken now, taking none. */
    synchronized Decision peek(long nowNanos) {
        refill(nowNanos);
        return decision(tokens >= 1);
    }

    private Decision decision(boolean allowed) {
        long retryAfter = allowed ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) / rate));
        long reset = (long) Math.ceil((burst - tokens) / rate);
        return new Decision(allowed, (long) burst, (long) Math.floor(tokens), reset, retryAfter);
    }

    /** Full again, so forgetting it changes nothing. */
    synchronized boolean full(long nowNanos) {
        refill(nowNanos);
        return tokens >= burst;
    }

    private void refill(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - lastNanos) / 1e9 * rate);
        lastNanos = nowNanos;
    }
}
