package io.conduit.operator.gateway;

import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.EdgeGatewaySpec;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.RouteRule;
import io.conduit.operator.WatchedNamespaces;
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
            RenderResult result = render(gateway, context.getClient(), WatchedNamespaces.of(context));
            shared.put(KEY, result);
            return result;
        });
    }

    /** {@code watched}: where a gateway admitting routes from all namespaces looks for them. */
    public static RenderResult render(EdgeGateway gateway, KubernetesClient client, WatchedNamespaces watched) {
        String ns = gateway.getMetadata().getNamespace();
        boolean allNamespaces = gateway.getSpec() != null && gateway.getSpec().allowedRoutes() != null
                && gateway.getSpec().allowedRoutes().namespaces() == EdgeGatewaySpec.RouteNamespaces.All;
        ResourceSet resources = new ResourceSet(
                list(client, BlobBackend.class, ns, allNamespaces, watched),
                list(client, QueueBackend.class, ns, allNamespaces, watched),
                list(client, RouteRule.class, ns, allNamespaces, watched),
                List.of(gateway),
                list(client, Secret.class, ns, allNamespaces, watched));
        return RENDERER.render(resources, ns, gateway.getMetadata().getName());
    }

    private static <T extends HasMetadata> List<T> list(KubernetesClient client, Class<T> type, String ns, boolean all,
                                                        WatchedNamespaces watched) {
        return all ? watched.list(client, type)
                : client.resources(type).inNamespace(ns).list().getItems();
    }
}
