package io.conduit.render;

import io.conduit.api.Durations;
import io.conduit.api.Quantities;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.EdgeGatewaySpec;
import io.conduit.api.v1alpha1.RouteRuleReference;
import io.conduit.config.EdgeConfig;
import java.util.List;
import java.util.Map;

/**
 * An EdgeGateway's policies (limits, auth and tenants, CORS, rate limits, recording, trusted proxies)
 * as the {@link EdgeConfig} the gateway runs. A policy that cannot be rendered throws
 * {@link IllegalArgumentException} with the field it is about.
 */
final class EdgePolicies {
    private EdgePolicies() {
    }

    /** The auth tokens go into {@code credentials}, under the key the config names. */
    static EdgeConfig of(EdgeGateway gateway, Secrets secrets, Map<String, Map<String, String>> credentials) {
        EdgeGatewaySpec spec = gateway.getSpec();
        if (spec == null) {
            return EdgeConfig.DEFAULTS;
        }
        EdgeConfig.Limits d = EdgeConfig.Limits.DEFAULTS;
        EdgeConfig.Limits limits = d;
        if (spec.limits() != null) {
            var l = spec.limits();
            limits = new EdgeConfig.Limits(
                    l.maxHeaderSize() == null ? d.maxHeaderSize() : Quantities.parseBytes(l.maxHeaderSize()),
                    l.maxBodySize() == null ? d.maxBodySize() : Quantities.parseBytes(l.maxBodySize()),
                    l.requestTimeout() == null ? d.requestTimeoutMillis() : Durations.parse(l.requestTimeout()).toMillis(),
                    l.idleTimeout() == null ? d.idleTimeoutMillis() : Durations.parse(l.idleTimeout()).toMillis());
        }
        EdgeConfig.Auth auth = null;
        if (spec.auth() != null) {
            String ns = ResourceId.namespaceOf(gateway);
            if (spec.auth().tokensSecretRef() == null || spec.auth().tokensSecretRef().name() == null) {
                throw new IllegalArgumentException("auth.tokensSecretRef.name is required");
            }
            String secretName = spec.auth().tokensSecretRef().name();
            Map<String, String> tokens = secrets.values(ns, secretName).orElseThrow(() -> new IllegalArgumentException(
                    "auth.tokensSecretRef: Secret " + ns + "/" + secretName + " not found"));
            credentials.put("auth.tokens", tokens);
            List<EdgeConfig.Tenant> tenants = spec.auth().tenants() == null ? List.of() : spec.auth().tenants().stream()
                    .map(t -> tenant(t, ns, tokens))
                    .toList();
            auth = new EdgeConfig.Auth("auth.tokens", spec.auth().exemptPaths(), tenants);
        }
        EdgeConfig.Cors cors = null;
        if (spec.cors() != null) {
            var c = spec.cors();
            cors = new EdgeConfig.Cors(c.allowOrigins(), c.allowMethods(), c.allowHeaders(), c.exposeHeaders(),
                    Boolean.TRUE.equals(c.allowCredentials()), c.maxAge());
        }
        List<EdgeConfig.RateLimit> rateLimits = spec.rateLimits() == null ? List.of() : spec.rateLimits().stream()
                .map(r -> rateLimit(r, ResourceId.namespaceOf(gateway)))
                .toList();
        EdgeConfig.Record record = null;
        if (spec.record() != null) {
            var r = spec.record();
            record = new EdgeConfig.Record(Boolean.TRUE.equals(r.enabled()), r.path(), r.maxBodySize() == null
                    ? EdgeConfig.Record.DEFAULT_MAX_BODY_BYTES : Quantities.parseBytes(r.maxBodySize()), r.redactHeaders());
        }
        List<String> trustedProxies = spec.trustedProxies() == null ? List.of() : spec.trustedProxies();
        trustedProxies.forEach(EdgePolicies::checkCidr);
        return new EdgeConfig(auth, cors, limits, rateLimits, record, trustedProxies);
    }

    private static EdgeConfig.Tenant tenant(EdgeGatewaySpec.Tenant t, String ns, Map<String, String> tokens) {
        if (t.name() == null || t.name().isBlank()) {
            throw new IllegalArgumentException("auth.tenants: name is required");
        }
        if (!tokens.containsKey(t.name())) {
            throw new IllegalArgumentException("auth.tenants." + t.name() + ": the tokens Secret has no key " + t.name());
        }
        List<String> rules = t.ruleRefs() == null ? null : ruleIds(t.ruleRefs(), ns, "auth.tenants." + t.name());
        Integer burst = t.burst() != null ? t.burst() : t.requestsPerSecond();
        return new EdgeConfig.Tenant(t.name(), rules, t.requestsPerSecond(), burst,
                t.bytesPerDay() == null ? null : Quantities.parseBytes(t.bytesPerDay()), t.maxConcurrentUploads());
    }

    /** The gateway config keys rules by id (namespace/name); a folder gets the schema's checks here. */
    private static List<String> ruleIds(List<RouteRuleReference> refs, String namespace, String field) {
        for (RouteRuleReference ref : refs) {
            if (ref == null || ref.name() == null || ref.name().isBlank()) {
                throw new IllegalArgumentException(field + ".ruleRefs: name is required, e.g. {name: upload}");
            }
            if (ref.name().contains("/") || (ref.namespace() != null && ref.namespace().contains("/"))) {
                throw new IllegalArgumentException(field + ".ruleRefs: '" + ref.name()
                        + "' is not a RouteRule name; another namespace's rule is {name: ..., namespace: ...}");
            }
        }
        return refs.stream().map(ref -> ref.id(namespace)).distinct().toList();
    }

    /** An IP address or CIDR of literal digits: a host name here would make every request wait on DNS. */
    private static void checkCidr(String cidr) {
        if (cidr == null || !cidr.matches("[0-9A-Fa-f:.]+(/[0-9]{1,3})?")) {
            throw new IllegalArgumentException("trustedProxies: " + cidr + " is not an IP address or CIDR");
        }
    }

    private static EdgeConfig.RateLimit rateLimit(EdgeGatewaySpec.RateLimit r, String namespace) {
        if (r.name() == null || r.key() == null || r.requestsPerSecond() == null) {
            throw new IllegalArgumentException("rateLimits: name, key and requestsPerSecond are required");
        }
        if (r.requestsPerSecond() < 1 || (r.burst() != null && r.burst() < 1)) {
            throw new IllegalArgumentException("rateLimits." + r.name() + ": requestsPerSecond and burst must be at least 1");
        }
        List<String> routes = r.ruleRefs() == null || r.ruleRefs().isEmpty() ? null
                : ruleIds(r.ruleRefs(), namespace, "rateLimits." + r.name());
        return new EdgeConfig.RateLimit(r.name(), r.key(), r.requestsPerSecond(),
                r.burst() == null ? r.requestsPerSecond() : r.burst(), Boolean.TRUE.equals(r.global()), routes);
    }
}
