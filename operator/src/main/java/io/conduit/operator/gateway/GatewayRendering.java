package io.conduit.operator.gateway;

import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.EdgeGatewaySpec;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.RouteRule;
import io.conduit.render.GatewayRenderer;
import io.conduit.render.RenderResult;
import io.conduit.render.ResourceSet;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;

/**
 * The rendered config of one EdgeGateway for one reconciliation: computed once, on first use by any
 * dependent, and shared through the reconciliation context, so every owned object sees the same revision.
 */
public final class GatewayRendering {
    private static final String KEY = GatewayRendering.class.getName();
    private static final GatewayRenderer RENDERER = new GatewayRenderer();

    private GatewayRendering() {
    }

    public static RenderResult of(EdgeGateway gateway, Context<EdgeGateway> context) {
        var shared = context.managedWorkflowAndDependentResourceContext();
        return shared.get(KEY, RenderResult.class).orElseGet(() -> {
            RenderResult result = render(gateway, context.getClient());
            shared.put(KEY, result);
            return result;
        });
    }

    public static RenderResult render(EdgeGateway gateway, KubernetesClient client) {
        String ns = gateway.getMetadata().getNamespace();
        boolean allNamespaces = gateway.getSpec() != null && gateway.getSpec().allowedRoutes() != null
                && gateway.getSpec().allowedRoutes().namespaces() == EdgeGatewaySpec.RouteNamespaces.All;
        ResourceSet resources = new ResourceSet(
                list(client, BlobBackend.class, ns, allNamespaces),
                list(client, QueueBackend.class, ns, allNamespaces),
                list(client, RouteRule.class, ns, allNamespaces),
                List.of(gateway),
                list(client, Secret.class, ns, allNamespaces));
        return RENDERER.render(resources, ns, gateway.getMetadata().getName());
    }

    private static <T extends HasMetadata> List<T> list(KubernetesClient client, Class<T> type, String ns, boolean all) {
        return all ? client.resources(type).inAnyNamespace().list().getItems()
                : client.resources(type).inNamespace(ns).list().getItems();
    }
}
