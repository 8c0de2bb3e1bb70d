package io.conduit.gateway.edge.limits;

/**
 * One bucket's answer: whether the request may pass, and what the {@code RateLimit-*} headers say
 * (limit = burst, tokens remaining, seconds until the bucket is full again; retry after, when refused).
 */
public record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {

    /** The tighter of two answers: a refusal wins, then the fewer remaining tokens. */
    Decision tighter(Decision other) {
        if (other == null) {
            return this;
        }
        if (allowed != other.allowed) {
            return allowed ? other : this;
        }
        return remaining <= other.remaining ? this : other;
    }
}
