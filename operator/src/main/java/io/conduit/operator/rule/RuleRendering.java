package io.conduit.operator.rule;

import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.EdgeGatewaySpec;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.RouteRule;
import io.conduit.api.v1alpha1.RouteRuleSpec;
import io.conduit.operator.ReferencedSecrets;
import io.conduit.operator.WatchedNamespaces;
import io.conduit.operator.gateway.GatewayRendering;
import io.conduit.render.GatewayRenderer;
import io.conduit.render.RenderResult;
import io.conduit.render.ResourceSet;
import io.conduit.render.RuleVerdict;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the renderer judges one RouteRule: on every EdgeGateway it attaches to (the same render the
 * gateway's config comes from, so status and config never disagree), or, attached nowhere, on its own.
 */
final class RuleRendering {
    private static final GatewayRenderer RENDERER = new GatewayRenderer();

    /** The rule's verdict on one gateway, keyed {@code namespace/name}. */
    record OnGateway(String gateway, RuleVerdict verdict) {
    }

    /** Verdicts on the gateways the rule attaches to; {@code alone} when it attaches to none. */
    record Judgement(List<OnGateway> gateways, RuleVerdict alone, List<String> missingGateways) {
    }

    static Judgement judge(RouteRule rule, KubernetesClient client, WatchedNamespaces watched) {
        String ns = rule.getMetadata().getNamespace();
        String id = ns + "/" + rule.getMetadata().getName();
        List<EdgeGateway> candidates = watched.list(client, EdgeGateway.class).stream()
                .filter(g -> ns.equals(g.getMetadata().getNamespace()) || allowsAllNamespaces(g))
                .toList();
        List<OnGateway> on = new ArrayList<>();
        for (EdgeGateway gateway : candidates) {
            RenderResult result = GatewayRendering.render(gateway, client, watched);
            verdictOf(result, id).ifPresent(v -> on.add(new OnGateway(
                    gateway.getMetadata().getNamespace() + "/" + gateway.getMetadata().getName(), v)));
        }
        List<String> missing = new ArrayList<>();
        List<RouteRuleSpec.GatewayRef> refs = rule.getSpec() == null ? null : rule.getSpec().gatewayRefs();
        if (refs != null) {
            for (RouteRuleSpec.GatewayRef ref : refs) {
                String key = (ref.namespace() == null ? ns : ref.namespace()) + "/" + ref.name();
                if (on.stream().noneMatch(o -> o.gateway().equals(key))) {
                    missing.add(key);
                }
            }
        }
        return new Judgement(on, on.isEmpty() ? alone(rule, client) : null, missing);
    }

    /**
     * A rule no gateway takes is still checked, so its author learns of mistakes before attaching it:
     * rendered for a stand-in gateway of its namespace, with its gatewayRefs set aside.
     */
    private static RuleVerdict alone(RouteRule rule, KubernetesClient client) {
        String ns = rule.getMetadata().getNamespace();
        RouteRule unattached = new RouteRule();
        unattached.setMetadata(rule.getMetadata());
        RouteRuleSpec spec = rule.getSpec();
        unattached.setSpec(spec == null ? null : spec.withGatewayRefs(null));
        EdgeGateway standIn = new EdgeGateway();
        standIn.setMetadata(new ObjectMetaBuilder().withName("conduit-rule-check").withNamespace(ns).build());
        List<BlobBackend> blobs = client.resources(BlobBackend.class).inNamespace(ns).list().getItems();
        List<QueueBackend> queues = client.resources(QueueBackend.class).inNamespace(ns).list().getItems();
        ResourceSet resources = new ResourceSet(blobs, queues, List.of(unattached), List.of(standIn),
                ReferencedSecrets.read(ReferencedSecrets.of(blobs, queues, List.of()), ref -> Optional.empty(), client));
        return verdictOf(RENDERER.render(resources, ns, standIn.getMetadata().getName()), ns + "/" + rule.getMetadata().getName())
                .orElseThrow();
    }

    private static Optional<RuleVerdict> verdictOf(RenderResult result, String ruleId) {
        return result.rules().stream()
                .filter(v -> ruleId.equals(v.rule().namespace() + "/" + v.rule().name()))
                .findFirst();
    }

    static boolean allowsAllNamespaces(EdgeGateway g) {
        return g.getSpec() != null && g.getSpec().allowedRoutes() != null
                && g.getSpec().allowedRoutes().namespaces() == EdgeGatewaySpec.RouteNamespaces.All;
    }
}
