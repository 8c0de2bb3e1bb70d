package io.conduit.render;

import io.conduit.api.Durations;
import io.conduit.api.Quantities;
import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.EdgeGatewaySpec;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.RouteRule;
import io.conduit.api.v1alpha1.RouteRuleReference;
import io.conduit.api.v1alpha1.RouteRuleSpec;
import io.conduit.config.BlobBackendConfig;
import io.conduit.config.ConfigJson;
import io.conduit.config.EdgeConfig;
import io.conduit.config.GatewayConfig;
import io.conduit.config.GatewayCredentials;
import io.conduit.config.PathPattern;
import io.conduit.config.QueueBackendConfig;
import io.conduit.config.RouteConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Renders the config of one gateway from a set of resources. Pure: no I/O, no clock, no randomness,
 * so the same resources always give the same revision.
 *
 * <p>Attachment: a RouteRule attaches to the EdgeGateways its {@code gatewayRefs} name, or, with no
 * {@code gatewayRefs}, to every EdgeGateway in its namespace. A gateway takes rules from its own
 * namespace unless {@code allowedRoutes.namespaces} is {@code All}. Backends resolve in the rule's
 * namespace. When two rules match exactly the same requests, the older one (then the one first by
 * namespace/name) wins and the other is {@code Conflicted}.
 */
public final class GatewayRenderer {
    /** The gateway a folder without an EdgeGateway runs as: default policies, rules from every namespace. */
    public static final String IMPLICIT_GATEWAY = "standalone";

    private static final Comparator<RouteRule> OLDEST_FIRST = Comparator
            .comparing((RouteRule r) -> Optional.ofNullable(r.getMetadata().getCreationTimestamp()).orElse(""))
            .thenComparing(r -> ResourceId.of(r).toString());

    /** Renders for the named EdgeGateway, which must be in {@code resources}. */
    public RenderResult render(ResourceSet resources, String namespace, String name) {
        EdgeGateway gateway = resources.edgeGateways().stream()
                .filter(g -> name.equals(g.getMetadata().getName()) && namespace.equals(ResourceId.namespaceOf(g)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("EdgeGateway " + namespace + "/" + name + " not found"));
        return render(resources, gateway, false);
    }

    /**
     * Renders a standalone folder: its only EdgeGateway, or the implicit one when it has none. Also
     * reports what a cluster would report elsewhere (rules naming gateways the folder lacks), since
     * a folder is meant to be complete.
     */
    public RenderResult renderStandalone(ResourceSet resources, String gatewayName) {
        List<EdgeGateway> gateways = resources.edgeGateways();
        if (gatewayName != null) {
            EdgeGateway chosen = gateways.stream().filter(g -> gatewayName.equals(g.getMetadata().getName())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no EdgeGateway named " + gatewayName + " in the folder"));
            return render(resources, chosen, true);
        }
        if (gateways.size() > 1) {
            throw new IllegalArgumentException("the folder holds " + gateways.size() + " EdgeGateways ("
                    + gateways.stream().map(g -> g.getMetadata().getName()).collect(Collectors.joining(", "))
                    + "); choose one with --gateway");
        }
        return render(resources, gateways.isEmpty() ? null : gateways.get(0), true);
    }

    private RenderResult render(ResourceSet resources, EdgeGateway gateway, boolean standalone) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Map<String, String>> credentials = new TreeMap<>();
        Secrets secrets = new Secrets(resources.secrets());
        String gwNamespace = gateway == null ? null : ResourceId.namespaceOf(gateway);
        String gwName = gateway == null ? IMPLICIT_GATEWAY : gateway.getMetadata().getName();
        BackendRenderer backendRenderer = new BackendRenderer(secrets, gwNamespace, gateway == null ? null : gwName);
        EdgeGatewaySpec gwSpec = gateway == null ? null : gateway.getSpec();

        Map<String, BackendRenderer.Rendered<BlobBackendConfig>> blobs = new HashMap<>();
        for (BlobBackend b : resources.blobBackends()) {
            var rendered = backendRenderer.blob(b);
            blobs.put(key(b), rendered);
            if (!rendered.ok() && standalone) {
                problems.add(rendered.problem());
            }
        }
        // A backend whose mirrors cannot be served is unusable itself: its copies would have nowhere to go.
        for (BlobBackend b : resources.blobBackends()) {
            var rendered = blobs.get(key(b));
            if (!rendered.ok() || rendered.config().mirrors() == null) {
                continue;
            }
            String ns = ResourceId.namespaceOf(b);
            for (String m : rendered.config().mirrors()) {
                var mirror = blobs.get(ns + "/" + m);
                if (mirror == null || !mirror.ok()) {
                    Problem problem = new Problem(ResourceId.of(b), Problem.BACKEND_NOT_FOUND, "mirror BlobBackend " + m
                            + (mirror == null ? " does not exist in namespace " + ns : " is not usable: " + mirror.problem().message()));
                    blobs.put(key(b), new BackendRenderer.Rendered<>(null, Map.of(), problem));
                    if (standalone) {
                        problems.add(problem);
                    }
                    break;
                }
            }
        }
        Map<String, BackendRenderer.Rendered<QueueBackendConfig>> queues = new HashMap<>();
        for (QueueBackend q : resources.queueBackends()) {
            var rendered = backendRenderer.queue(q);
            queues.put(key(q), rendered);
            if (!rendered.ok() && standalone) {
                problems.add(rendered.problem());
            }
        }
        RuleRenderer.Backends lookup = new RuleRenderer.Backends() {
            @Override
            public Optional<BlobBackendConfig> blob(String ns, String name) {
                return Optional.ofNullable(blobs.get(ns + "/" + name)).map(BackendRenderer.Rendered::config);
            }

            @Override
            public Optional<QueueBackendConfig> queue(String ns, String name) {
                return Optional.ofNullable(queues.get(ns + "/" + name)).map(BackendRenderer.Rendered::config);
            }

            @Override
            public Optional<Problem> unusable(String kind, String ns, String name) {
                var rendered = kind.equals("BlobBackend") ? blobs.get(ns + "/" + name) : queues.get(ns + "/" + name);
                return Optional.ofNullable(rendered).map(BackendRenderer.Rendered::problem);
            }

            @Override
            public Optional<String> defaultQueue(String ns) {
                if (gwSpec != null && gwSpec.defaultQueueBackendRef() != null) {
                    return Optional.ofNullable(gwSpec.defaultQueueBackendRef().name());
                }
                List<String> inNamespace = resources.queueBackends().stream()
                        .filter(q -> ns.equals(ResourceId.namespaceOf(q)))
                        .map(q -> q.getMetadata().getName()).toList();
                return inNamespace.size() == 1 ? Optional.of(inNamespace.get(0)) : Optional.empty();
            }
        };

        EdgeConfig edge = EdgeConfig.DEFAULTS;
        boolean edgeValid = true;
        if (gateway != null) {
            try {
                edge = edge(gateway, secrets, credentials);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(ResourceId.of(gateway), Problem.INVALID, e.getMessage()));
                edgeValid = false;
            }
        }

        // A gateway whose policies cannot be rendered serves nothing: serving its rules without, say,
        // their auth would be worse than not serving them.
        List<RouteRule> attached = !edgeValid ? List.of() : resources.routeRules().stream()
                .filter(r -> attaches(r, gateway))
                .sorted(OLDEST_FIRST)
                .toList();
        if (standalone && edgeValid) {
            resources.routeRules().stream()
                    .filter(r -> !attached.contains(r))
                    .forEach(r -> problems.add(new Problem(ResourceId.of(r), Problem.GATEWAY_NOT_FOUND,
                            "gatewayRefs name no EdgeGateway in this folder that accepts the rule (serving "
                                    + (gateway == null ? "the implicit gateway" : "EdgeGateway " + gwName) + ")")));
        }

        RuleRenderer ruleRenderer = new RuleRenderer();
        List<RuleVerdict> verdicts = new ArrayList<>();
        Map<String, RouteConfig> byShape = new LinkedHashMap<>();
        Map<String, String> owners = new HashMap<>();
        List<RouteConfig> routes = new ArrayList<>();
        for (RouteRule rule : attached) {
            ResourceId id = ResourceId.of(rule);
            long generation = rule.getMetadata().getGeneration() == null ? 0 : rule.getMetadata().getGeneration();
            RuleRenderer.Outcome outcome = ruleRenderer.render(rule, lookup);
            if (outcome.problem() != null) {
                problems.add(outcome.problem());
                verdicts.add(outcome.refProblem()
                        ? new RuleVerdict(id, generation, RuleVerdict.Check.OK, RuleVerdict.Check.failed(outcome.problem()))
                        : new RuleVerdict(id, generation, RuleVerdict.Check.failed(outcome.problem()), RuleVerdict.Check.OK));
                continue;
            }
            RouteConfig route = outcome.route();
            // A tenant's rule shares its match with the shared rule it overrides for that tenant.
            String shape = shape(route.match()) + (route.tenant() == null ? "" : " tenant=" + route.tenant());
            RouteConfig winner = byShape.get(shape);
            if (winner != null) {
                Problem conflict = new Problem(id, Problem.CONFLICTED, "matches exactly the same requests as RouteRule "
                        + winner.id() + ", which is older and wins");
                problems.add(conflict);
                verdicts.add(new RuleVerdict(id, generation, RuleVerdict.Check.failed(conflict), RuleVerdict.Check.OK));
                continue;
            }
            String nameClash = backendNameClash(route, id.namespace(), owners);
            if (nameClash != null) {
                Problem conflict = new Problem(id, Problem.CONFLICTED, nameClash);
                problems.add(conflict);
                verdicts.add(new RuleVerdict(id, generation, RuleVerdict.Check.failed(conflict), RuleVerdict.Check.OK));
                continue;
            }
            byShape.put(shape, route);
            routes.add(route);
            verdicts.add(new RuleVerdict(id, generation, RuleVerdict.Check.OK, RuleVerdict.Check.OK));
        }

        // Only what served rules use goes into the config; credentials likewise.
        Map<String, BlobBackendConfig> usedBlobs = new TreeMap<>();
        Map<String, QueueBackendConfig> usedQueues = new TreeMap<>();
        for (RouteConfig route : routes) {
            String ns = route.id().substring(0, route.id().indexOf('/'));
            if (route.blob() != null) {
                var blob = blobs.get(ns + "/" + route.blob().backend());
                use(blob, usedBlobs, credentials);
                // Mirrors are written to by the gateway too, so they come along with their credentials.
                blob.config().mirrors().forEach(m -> use(blobs.get(ns + "/" + m), usedBlobs, credentials));
            } else {
                use(queues.get(ns + "/" + route.queue().backend()), usedQueues, credentials);
            }
            if (route.onComplete() != null) {
                use(queues.get(ns + "/" + route.onComplete().backend()), usedQueues, credentials);
            }
        }
        routes.sort(Comparator.comparing(RouteConfig::id));
        String gatewayId = gwNamespace == null ? IMPLICIT_GATEWAY : gwNamespace + "/" + gwName;
        GatewayCredentials creds = new GatewayCredentials(credentials);
        GatewayConfig config = new GatewayConfig(null, gatewayId, List.copyOf(usedBlobs.values()),
                List.copyOf(usedQueues.values()), routes, edge);
        config = config.withRevision(ConfigJson.revisionOf(config, creds));
        problems.sort(Comparator.comparing(Problem::resource));
        return new RenderResult(config, creds, problems, verdicts);
    }

    private static <T> void use(BackendRenderer.Rendered<T> rendered, Map<String, T> used,
                                Map<String, Map<String, String>> credentials) {
        T config = rendered.config();
        String name = config instanceof BlobBackendConfig b ? b.name() : ((QueueBackendConfig) config).name();
        used.put(name, config);
        credentials.putAll(rendered.credentials());
    }

    /** Backends are named without namespace in the config; two namespaces may not bring the same name. */
    private static String backendNameClash(RouteConfig route, String ns, Map<String, String> owners) {
        List<String> names = new ArrayList<>();
        if (route.blob() != null) {
            names.add("blob:" + route.blob().backend());
        } else {
            names.add("queue:" + route.queue().backend());
        }
        if (route.onComplete() != null) {
            names.add("queue:" + route.onComplete().backend());
        }
        for (String n : names) {
            String owner = owners.get(n);
            if (owner != null && !owner.equals(ns)) {
                return "backend " + n.substring(n.indexOf(':') + 1) + " of namespace " + ns
                        + " has the same name as one of namespace " + owner + " already served by this gateway";
            }
        }
        names.forEach(n -> owners.putIfAbsent(n, ns));
        return null;
    }

    private static boolean attaches(RouteRule rule, EdgeGateway gateway) {
        String ruleNs = ResourceId.namespaceOf(rule);
        List<RouteRuleSpec.GatewayRef> refs = rule.getSpec() == null ? null : rule.getSpec().gatewayRefs();
        if (gateway == null) {
            return refs == null || refs.isEmpty();
        }
        String gwNs = ResourceId.namespaceOf(gateway);
        boolean allNamespaces = gateway.getSpec() != null && gateway.getSpec().allowedRoutes() != null
                && gateway.getSpec().allowedRoutes().namespaces() == EdgeGatewaySpec.RouteNamespaces.All;
        if (!allNamespaces && !gwNs.equals(ruleNs)) {
            return false;
        }
        if (refs == null || refs.isEmpty()) {
            return gwNs.equals(ruleNs);
        }
        return refs.stream().anyMatch(ref -> gateway.getMetadata().getName().equals(ref.name())
                && gwNs.equals(ref.namespace() == null ? ruleNs : ref.namespace()));
    }

    private static String shape(RouteConfig.Match m) {
        String headers = m.headers().stream()
                .map(h -> h.name() + (h.type() == null ? "" : h.type().name()) + "=" + h.value())
                .sorted().collect(Collectors.joining("&"));
        return (m.method() == null ? "*" : m.method()) + " " + PathPattern.parse(m.path()).shape() + " "
                + (m.contentType() == null ? "*/*" : m.contentType()) + " " + headers;
    }

    private static EdgeConfig edge(EdgeGateway gateway, Secrets secrets, Map<String, Map<String, String>> credentials) {
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
        trustedProxies.forEach(GatewayRenderer::checkCidr);
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

    private static String key(HasMetadata resource) {
        return ResourceId.namespaceOf(resource) + "/" + resource.getMetadata().getName();
    }
}
