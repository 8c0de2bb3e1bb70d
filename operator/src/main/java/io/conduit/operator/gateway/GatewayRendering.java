package io.conduit.operator.gateway;

import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.EdgeGatewaySpec;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.RouteRule;
import io.conduit.operator.ReferencedSecrets;
import io.conduit.operator.WatchedNamespaces;
import io.conduit.render.GatewayRenderer;
import io.conduit.render.RenderResult;
import io.conduit.render.ResourceSet;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The rendered config of one EdgeGateway for one reconciliation: computed once, on first use by any
 * dependent, and shared through the reconciliation context, so every owned object sees the same revision.
 */
public final class GatewayRendering {
    private static final String KEY = GatewayRendering.class.getName();
    private static final GatewayRenderer RENDERER = new GatewayRenderer();

    private GatewayRendering() {
    }

    /** Where a render reads the resources from. */
    public interface Source {
        /** Every {@code type} of {@code namespace}, or of every watched namespace when it is null. */
        <T extends HasMetadata> List<T> list(Class<T> type, String namespace);

        /** The named Secrets that exist, read by name: Secrets are never listed. */
        List<Secret> secrets(Set<ReferencedSecrets.Ref> refs);
    }

    /**
     * Read from the EdgeGateway reconciler's informer caches: they hold every RouteRule and backend of the
     * watched namespaces, and they hold the change that triggered this reconciliation, so the render needs
     * no list (four lists per render were most of a rule change's latency). Referenced Secrets come from
     * the cache of labelled ones, the others by name ({@link ReferencedSecrets}).
     */
    public static RenderResult of(EdgeGateway gateway, Context<EdgeGateway> context) {
        var shared = context.managedWorkflowAndDependentResourceContext();
        // Dependents reconcile in parallel: without the lock each would render the same config once more.
        synchronized (shared) {
            return renderOnce(gateway, context, shared);
        }
    }

    private static RenderResult renderOnce(EdgeGateway gateway, Context<EdgeGateway> context,
                                           ManagedWorkflowAndDependentResourceContext shared) {
        return shared.get(KEY, RenderResult.class).orElseGet(() -> {
            RenderResult result = render(gateway, fromCaches(context));
            shared.put(KEY, result);
            return result;
        });
    }

    /** Read from the API server, within {@code watched}: for the RouteRule reconciler, which lacks these caches. */
    public static RenderResult render(EdgeGateway gateway, KubernetesClient client, WatchedNamespaces watched) {
        return render(gateway, new Source() {
            @Override
            public <T extends HasMetadata> List<T> list(Class<T> type, String namespace) {
                return namespace == null ? watched.list(client, type) : client.resources(type).inNamespace(namespace).list().getItems();
            }

            @Override
            public List<Secret> secrets(Set<ReferencedSecrets.Ref> refs) {
                return ReferencedSecrets.read(refs, ref -> Optional.empty(), client);
            }
        });
    }

    static Source fromCaches(Context<EdgeGateway> context) {
        return new Source() {
            @Override
            @SuppressWarnings("unchecked")
            public <T extends HasMetadata> List<T> list(Class<T> type, String namespace) {
                // Named after the type in EdgeGatewayReconciler#prepareEventSources.
                var cache = (InformerEventSource<T, EdgeGateway>) context.eventSourceRetriever()
                        .getEventSourceFor(type, type.getSimpleName());
                Stream<T> items = namespace == null ? cache.list(r -> true) : cache.list(namespace, r -> true);
                // In the API server's order (namespace, name), so a render is the same whichever way it read.
                return items.sorted(Comparator.comparing((T r) -> r.getMetadata().getNamespace())
                        .thenComparing(r -> r.getMetadata().getName())).toList();
            }

            @Override
            @SuppressWarnings("unchecked")
            public List<Secret> secrets(Set<ReferencedSecrets.Ref> refs) {
                var watchedCache = (InformerEventSource<Secret, EdgeGateway>) context.eventSourceRetriever()
                        .getEventSourceFor(Secret.class, EdgeGatewayReconciler.WATCHED_SECRETS);
                return ReferencedSecrets.read(refs, ref -> watchedCache.get(new ResourceID(ref.name(), ref.namespace())),
                        context.getClient());
            }
        };
    }

    public static RenderResult render(EdgeGateway gateway, Source source) {
        String ns = gateway.getMetadata().getNamespace();
        boolean allNamespaces = gateway.getSpec() != null && gateway.getSpec().allowedRoutes() != null
                && gateway.getSpec().allowedRoutes().namespaces() == EdgeGatewaySpec.RouteNamespaces.All;
        List<BlobBackend> blobs = source.list(BlobBackend.class, allNamespaces ? null : ns);
        List<QueueBackend> queues = source.list(QueueBackend.class, allNamespaces ? null : ns);
        ResourceSet resources = new ResourceSet(blobs, queues,
                source.list(RouteRule.class, allNamespaces ? null : ns),
                List.of(gateway),
                source.secrets(ReferencedSecrets.of(blobs, queues, List.of(gateway))));
        return RENDERER.render(resources, ns, gateway.getMetadata().getName());
    }
}
