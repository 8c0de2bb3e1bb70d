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
        List<RateLimit> rateLimits,
        List<String> trustedProxies) {

    public static final EdgeConfig DEFAULTS = new EdgeConfig(null, null, Limits.DEFAULTS, List.of(), List.of());

    public EdgeConfig {
        limits = limits == null ? Limits.DEFAULTS : limits;
        rateLimits = rateLimits == null ? List.of() : List.copyOf(rateLimits);
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    }

    /** Tokens live in the credentials under {@code credentialsKey}: tenant name to token (one per line). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Auth(String credentialsKey, List<String> exemptPaths, List<Tenant> tenants) {
        public Auth {
            exemptPaths = exemptPaths == null ? List.of() : List.copyOf(exemptPaths);
            tenants = tenants == null ? List.of() : List.copyOf(tenants);
        }
    }

    /** One tenant's policy; {@code rules} are route ids (namespace/name), null for every rule; null quotas are unlimited. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Tenant(String name, List<String> rules, Integer requestsPerSecond, Integer burst, Long bytesPerDay,
                         Integer maxConcurrentUploads) {
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
