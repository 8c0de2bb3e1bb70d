package io.conduit.render;

import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.RouteRule;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;

/** The resources a render reads: from an informer cache in the operator, from a folder standalone. */
public record ResourceSet(
        List<BlobBackend> blobBackends,
        List<QueueBackend> queueBackends,
        List<RouteRule> routeRules,
        List<EdgeGateway> edgeGateways,
        List<Secret> secrets) {

    public ResourceSet {
        blobBackends = List.copyOf(blobBackends);
        queueBackends = List.copyOf(queueBackends);
        routeRules = List.copyOf(routeRules);
        edgeGateways = List.copyOf(edgeGateways);
        secrets = List.copyOf(secrets);
    }
}
