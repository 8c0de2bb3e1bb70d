package io.conduit.gateway.edge.limits;

import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;

/**
 * A 429 with the name of the limit that refused it, for the {@code limit} label of
 * {@code conduit_rate_limit_rejections_total}: a rate limit's {@code name}, or for a tenant quota
 * {@code quota:requestsPerSecond}, {@code quota:bytesPerDay} or {@code quota:maxConcurrentUploads}.
 */
public final class RateLimitRefused extends GatewayException {
    private final String limit;

    RateLimitRefused(String limit, String message, int retryAfterSeconds) {
        super(ErrorCode.TOO_MANY_REQUESTS, message, retryAfterSeconds, null);
        this.limit = limit;
    }

    public String limit() {
        return limit;
    }
}
