package io.conduit.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.conduit.api.v1alpha1.EdgeGatewaySpec;
import java.util.List;

/** Edge policies of a gateway. Token values are not here: they come with {@link GatewayCredentials}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EdgeConfig(
        Auth auth,
        Cors cors,
        Limits limits,
        List<RateLimit> rateLimits) {

    public static final EdgeConfig DEFAULTS = new EdgeConfig(null, null, Limits.DEFAULTS, List.of());

    public EdgeConfig {
        limits = limits == null ? Limits.DEFAULTS : limits;
        rateLimits = rateLimits == null ? List.of() : List.copyOf(rateLimits);
    }

    /** Tokens live in the credentials under {@code credentialsKey}. */
    public record Auth(String credentialsKey, List<String> exemptPaths) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cors(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
                       List<String> exposeHeaders, boolean allowCredentials, Integer maxAge) {
    }

    public record Limits(long maxHeaderSize, long maxBodySize, long requestTimeoutMillis, long idleTimeoutMillis) {
        public static final Limits DEFAULTS = new Limits(16 * 1024, 1L << 30, 30_000, 60_000);
    }

    public record RateLimit(String name, EdgeGatewaySpec.RateLimitKey key, int requestsPerSecond, int burst,
                            boolean global) {
    }
}
