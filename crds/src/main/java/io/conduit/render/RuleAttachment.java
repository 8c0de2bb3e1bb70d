package io.conduit.render;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.EdgeGatewaySpec;
import io.conduit.api.v1alpha1.RouteRule;
import io.conduit.api.v1alpha1.RouteRuleSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which RouteRules a gateway serves: those its {@code gatewayRefs} name, or with none every rule of
 * the gateway's namespace; rules of other namespaces only when {@code allowedRoutes.namespaces} is
 * {@code All}. The implicit gateway (null) takes every rule that names no gateway.
 */
final class RuleAttachment {
    /** Conflicts go to the older rule, then to the one first by namespace/name. */
    private static final Comparator<RouteRule> OLDEST_FIRST = Comparator
            .comparing((RouteRule r) -> Optional.ofNullable(r.getMetadata().getCreationTimestamp()).orElse(""))
            .thenComparing(r -> ResourceId.of(r).toString());

    private RuleAttachment() {
    }

    /** The rules attached to {@code gateway}, oldest first. */
    static List<RouteRule> attached(List<RouteRule> rules, EdgeGateway gateway) {
        return rules.stream()
                .filter(r -> attaches(r, gateway))
                .sorted(OLDEST_FIRST)
                .toList();
    }

    /** For a folder, which is meant to be complete: one problem per rule that no gateway of it accepts. */
    static List<Problem> unattached(List<RouteRule> rules, List<RouteRule> attached, EdgeGateway gateway) {
        String serving = gateway == null ? "the implicit gateway" : "EdgeGateway " + gateway.getMetadata().getName();
        return rules.stream()
                .filter(r -> !attached.contains(r))
                .map(r -> new Problem(ResourceId.of(r), Problem.GATEWAY_NOT_FOUND,
                        "gatewayRefs name no EdgeGateway in this folder that accepts the rule (serving " + serving + ")"))
                .toList();
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
}
