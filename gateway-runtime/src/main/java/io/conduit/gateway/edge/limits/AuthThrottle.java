package io.conduit.gateway.edge.limits;


/**
 * Failed authentication, throttled per client address: each 401 spends one of {@link #BUDGET} tries,
 * refilled at {@link #REFILL_PER_SECOND}. Once the budget is spent, every request of that address that
 * would be authenticated is refused 429 before its token is looked at, valid or not, so the throttle
 * tells a guesser nothing. It runs before the rate limits (which need to know the caller) and its state
 * outlives reloads.
 */
public final class AuthThrottle {
    static final int BUDGET = 20;
    static final double REFILL_PER_SECOND = 0.5;

    private final LocalBuckets failures = new LocalBuckets();

    /** Refuses (429 with Retry-After) an address whose budget of failures is spent. */
    public void check(String clientIp) {
        Decision budget = failures.peek(key(clientIp), REFILL_PER_SECOND, BUDGET);
        if (budget != null && !budget.allowed()) {
            throw new RateLimitRefused("auth-failures", "too many failed authentications from this address; retry after "
                    + budget.retryAfterSeconds() + " s", (int) budget.retryAfterSeconds());
        }
    }

    /** Counts one failed authentication of {@code clientIp}. */
    public void failed(String clientIp) {
        failures.take(key(clientIp), REFILL_PER_SECOND, BUDGET);
    }

    private static String key(String clientIp) {
        return "auth-failures:" + clientIp;
    }
}
