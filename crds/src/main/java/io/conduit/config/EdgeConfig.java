package io.conduit.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.conduit.api.v1alpha1.EdgeGatewaySpec;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Edge policies of a gateway. Token values are not here: they come with {@link GatewayCredentials}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EdgeConfig(
        Auth auth,
        Cors cors,
        Limits limits,
        List<RateLimit> rateLimits,
        Record record,
        List<String> trustedProxies) {

    public static final EdgeConfig DEFAULTS = new EdgeConfig(null, null, Limits.DEFAULTS, List.of(), null, List.of());

    public EdgeConfig {
        limits = limits == null ? Limits.DEFAULTS : limits;
        rateLimits = rateLimits == null ? List.of() : List.copyOf(rateLimits);
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    }

    /** The record settings, defaults when none were given (null stays out of the rendered JSON and its revision). */
    public Record recording() {
        return record == null ? Record.DEFAULTS : record;
    }

    public EdgeConfig(Auth auth, Cors cors, Limits limits, List<RateLimit> rateLimits) {
        this(auth, cors, limits, rateLimits, null, List.of());
    }

    /**
     * Request recording: {@code enabled} records every request, else only rules with {@code record: true};
     * header values named in {@code redactHeaders} (lower case) are never written.
     */
    public record Record(boolean enabled, String path, long maxBodyBytes, List<String> redactHeaders) {
        public static final String DEFAULT_PATH = "conduit-data/record.jsonl";
        public static final long DEFAULT_MAX_BODY_BYTES = 64 * 1024;
        public static final List<String> ALWAYS_REDACTED = List.of("authorization", "proxy-authorization", "cookie",
                "set-cookie", "x-token", "x-api-key");
        public static final Record DEFAULTS = new Record(false, DEFAULT_PATH, DEFAULT_MAX_BODY_BYTES, ALWAYS_REDACTED);

        public Record {
            path = path == null ? DEFAULT_PATH : path;
            Set<String> names = new TreeSet<>(ALWAYS_REDACTED);
            if (redactHeaders != null) {
                redactHeaders.forEach(h -> names.add(h.toLowerCase(Locale.ROOT)));
            }
            redactHeaders = List.copyOf(names);
        }
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

    /** {@code routes}: the route ids (namespace/name) this limit applies to; null for every route. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RateLimit(String name, EdgeGatewaySpec.RateLimitKey key, int requestsPerSecond, int burst,
                            boolean global, List<String> routes) {
        public RateLimit(String name, EdgeGatewaySpec.RateLimitKey key, int requestsPerSecond, int burst, boolean global) {
            this(name, key, requestsPerSecond, burst, global, null);
        }

        /** Whether a request of {@code routeId} (null: built-in endpoints and unmatched requests) counts against it. */
        public boolean appliesTo(String routeId) {
            return routes == null || routes.contains(routeId);
        }
    }
}
