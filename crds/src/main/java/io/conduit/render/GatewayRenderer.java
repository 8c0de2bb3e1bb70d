package io.conduit.render;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.RouteRule;
import io.conduit.config.ConfigJson;
import io.conduit.config.EdgeConfig;
import io.conduit.config.GatewayConfig;
import io.conduit.config.GatewayCredentials;
import io.conduit.config.RouteConfig;
import java.util.ArrayList;
import java.util.Comparator;
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

    /** The steps in order; each problem list keeps the order the steps found them in. */
    private RenderResult render(ResourceSet resources, EdgeGateway gateway, boolean standalone) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Map<String, String>> credentials = new TreeMap<>();
        Secrets secrets = new Secrets(resources.secrets());

        // A backend the operator provisions gives each gateway its own identity, so backends render per gateway.
        BackendRenderer backendRenderer = gateway == null ? new BackendRenderer(secrets)
                : new BackendRenderer(secrets, ResourceId.namespaceOf(gateway), gateway.getMetadata().getName());
        BackendIndex backends = BackendIndex.of(resources, backendRenderer, gateway == null ? null : gateway.getSpec());
        if (standalone) {
            problems.addAll(backends.problems());
        }
        Optional<EdgeConfig> edge = edgePolicies(gateway, secrets, credentials, problems);
        // A gateway whose policies cannot be rendered serves nothing: serving its rules without, say,
        // their auth would be worse than not serving them.
        List<RouteRule> attached = edge.isEmpty() ? List.of() : RuleAttachment.attached(resources.routeRules(), gateway);
        if (standalone && edge.isPresent()) {
            problems.addAll(RuleAttachment.unattached(resources.routeRules(), attached, gateway));
        }
        ServedRoutes served = ServedRoutes.of(attached, backends);
        problems.addAll(served.problems());
        BackendIndex.Used used = backends.usedBy(served.routes(), credentials);

        List<RouteConfig> routes = new ArrayList<>(served.routes());
        routes.sort(Comparator.comparing(RouteConfig::id));
        GatewayCredentials creds = new GatewayCredentials(credentials);
        GatewayConfig config = new GatewayConfig(null, gatewayId(gateway), used.blobs(), used.queues(), routes,
                edge.orElse(EdgeConfig.DEFAULTS));
        config = config.withRevision(ConfigJson.revisionOf(config, creds));
        problems.sort(Comparator.comparing(Problem::resource));
        return new RenderResult(config, creds, problems, served.verdicts());
    }

    /** The gateway's policies, or empty (and a problem) when they cannot be rendered; defaults for the implicit gateway. */
    private static Optional<EdgeConfig> edgePolicies(EdgeGateway gateway, Secrets secrets,
                                                     Map<String, Map<String, String>> credentials, List<Problem> problems) {
        if (gateway == null) {
            return Optional.of(EdgeConfig.DEFAULTS);
        }
        try {
            return Optional.of(EdgePolicies.of(gateway, secrets, credentials));
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(ResourceId.of(gateway), Problem.INVALID, e.getMessage()));
            return Optional.empty();
        }
    }

    private static String gatewayId(EdgeGateway gateway) {
        return gateway == null ? IMPLICIT_GATEWAY : ResourceId.namespaceOf(gateway) + "/" + gateway.getMetadata().getName();
    }
}
