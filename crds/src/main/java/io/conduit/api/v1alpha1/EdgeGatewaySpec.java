package io.conduit.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.conduit.api.Durations;
import io.conduit.api.Quantities;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record EdgeGatewaySpec(
        @SpecReplicas @Min(0) @JsonPropertyDescription("Gateway pods; kubectl scale and HPAs set this.") Integer replicas,
        @JsonPropertyDescription("Gateway image; the operator's default when unset.") String image,
        ResourceRequirements resources,
        Service service,
        @JsonPropertyDescription("QueueBackend (in the gateway's namespace, e.g. {name: jobs}) used by rules and envelopes that name none.") LocalObjectReference defaultQueueBackendRef,
        @JsonPropertyDescription("Which RouteRules may attach: from this namespace (default) or all.") AllowedRoutes allowedRoutes,
        Auth auth,
        Cors cors,
        Limits limits,
        List<RateLimit> rateLimits,
        @JsonPropertyDescription("Record requests (metadata and bodies) as JSON lines for replay.") Record record,
        @JsonPropertyDescription("Proxies (IPs or CIDRs) whose X-Forwarded-For is believed when keying rate limits by client IP.")
        List<String> trustedProxies) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Service(ServiceType type, @Min(1) Integer port, Map<String, String> annotations) {
    }

    public enum ServiceType {
        ClusterIP, NodePort, LoadBalancer
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AllowedRoutes(RouteNamespaces namespaces) {
    }

    public enum RouteNamespaces {
        Same, All
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Auth(
            @Required @JsonPropertyDescription("Secret mapping tenant names (keys) to tokens (values).") SecretRef tokensSecretRef,
            @JsonPropertyDescription("Paths served without a token, e.g. /healthz.") List<String> exemptPaths,
            @JsonPropertyDescription("Per-tenant policy: the rules a tenant may call and its quotas; tenants not listed may call every rule.")
            List<Tenant> tenants) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Tenant(
            @Required @JsonPropertyDescription("A key of the tokens Secret.") String name,
            @JsonPropertyDescription("RouteRules this tenant may call, e.g. [{name: upload}, {name: ping, namespace: shop}]; all when unset.")
            List<RouteRuleReference> ruleRefs,
            @Min(1) @JsonPropertyDescription("Requests per second this tenant may make (per replica).") Integer requestsPerSecond,
            @Min(1) Integer burst,
            @Pattern(Quantities.PATTERN) @JsonPropertyDescription("Request body bytes per UTC day (per replica).") String bytesPerDay,
            @Min(1) @JsonPropertyDescription("Uploads (blob rules) in flight at once (per replica).") Integer maxConcurrentUploads) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cors(
            @JsonPropertyDescription("Exact origins or wildcards such as https://*.example.com.") List<String> allowOrigins,
            List<String> allowMethods,
            List<String> allowHeaders,
            List<String> exposeHeaders,
            Boolean allowCredentials,
            @Min(0) @JsonPropertyDescription("Seconds a preflight answer may be cached.") Integer maxAge) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Limits(
            @Pattern(Quantities.PATTERN) String maxHeaderSize,
            @Pattern(Quantities.PATTERN) String maxBodySize,
            @Pattern(Durations.PATTERN) String requestTimeout,
            @Pattern(Durations.PATTERN) String idleTimeout) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RateLimit(
            @Required String name,
            @Required RateLimitKey key,
            @Required @Min(1) Integer requestsPerSecond,
            @Min(1) Integer burst,
            @JsonPropertyDescription("Share the bucket across replicas through Redis.") Boolean global,
            @JsonPropertyDescription("RouteRules this limit applies to, e.g. [{name: upload}]; every rule when empty.")
            List<RouteRuleReference> ruleRefs) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Record(
            @JsonPropertyDescription("Record every request (default false; a RouteRule may set record: true for its own).")
            Boolean enabled,
            @JsonPropertyDescription("File the JSON lines are appended to (default conduit-data/record.jsonl).") String path,
            @Pattern(Quantities.PATTERN) @JsonPropertyDescription("Body bytes kept per request (default 64Ki).")
            String maxBodySize,
            @JsonPropertyDescription("Headers recorded as [redacted], besides Authorization, Cookie and X-Token.")
            List<String> redactHeaders) {
    }

    public enum RateLimitKey {
        @JsonProperty("token") TOKEN,
        @JsonProperty("tenant") TENANT,
        @JsonProperty("ip") IP,
        @JsonProperty("route") ROUTE
    }
}
