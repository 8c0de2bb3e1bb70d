package io.conduit.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * Everything one gateway serves. {@code revision} is a content hash of the rest, so two renders of
 * the same resources give the same revision and a pod can say which one it runs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GatewayConfig(
        String revision,
        String gateway,
        List<BlobBackendConfig> blobBackends,
        List<QueueBackendConfig> queueBackends,
        List<RouteConfig> routes,
        EdgeConfig edge) {

    public GatewayConfig {
        blobBackends = blobBackends == null ? List.of() : List.copyOf(blobBackends);
        queueBackends = queueBackends == null ? List.of() : List.copyOf(queueBackends);
        routes = routes == null ? List.of() : List.copyOf(routes);
        edge = edge == null ? EdgeConfig.DEFAULTS : edge;
    }

    public GatewayConfig withRevision(String newRevision) {
        return new GatewayConfig(newRevision, gateway, blobBackends, queueBackends, routes, edge);
    }

    public Optional<BlobBackendConfig> blobBackend(String name) {
        return blobBackends.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    public Optional<QueueBackendConfig> queueBackend(String name) {
        return queueBackends.stream().filter(q -> q.name().equals(name)).findFirst();
    }
}
